extension ModelStore {
    /// Publishes a model file made elsewhere (a generation downloaded from object storage) as a
    /// new local generation, only after verifying it fully.
    ///
    /// The file at `path` is opened with `LoadedModel.open(verifyContents: true)`, the checks
    /// every worker runs before serving a generation: structure, every index in range, the
    /// whole-file checksum and every float finite. Then `publish(verified:)` publishes it.
    ///
    /// - Throws: the `ModelFileError` of the first failed check (the store is then unchanged),
    ///   or of the publication.
    public func importVerified(modelFileAt path: String) throws(ModelFileError) -> ModelPublication {
        try publish(verified: try LoadedModel.open(path: path, verifyContents: true))
    }

    /// Publishes the file of `model`, which the caller opened with `verifyContents: true`, as
    /// a new local generation.
    ///
    /// Its bytes are copied out of the mapping, checked against the header's checksum once
    /// more (so a file changed after its verification is refused), and published with the
    /// same atomic write, `CURRENT` swap and pruning as a trained model. The local generation
    /// number is the store's next one, which need not equal the number the file had elsewhere.
    public func publish(verified model: LoadedModel) throws(ModelFileError) -> ModelPublication {
        let bytes = model.copyOfFile()
        let checksum = bytes.withUnsafeBytes { ModelFileChecksum.compute(file: $0) }
        guard checksum == model.storedChecksum, bytes.count == model.fileSize else {
            throw ModelFileError(
                .checksumMismatch, path: model.path, reason: "the file changed after it was verified; it was not published")
        }
        return try publish(encodedFile: bytes)
    }
}
