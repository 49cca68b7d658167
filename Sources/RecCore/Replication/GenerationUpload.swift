import RecModelFile

/// `rec-cli publish --to s3://BUCKET/PREFIX`: puts the local current generation into object
/// storage, file first and pointer last.
///
/// 1. It reads the local `CURRENT` and verifies that generation fully
///    (`LoadedModel.open(verifyContents: true)`), so a damaged file is never uploaded.
/// 2. It uploads `model-<g>.recmodel`; the upload has completed when the client returns.
/// 3. Only then it uploads `CURRENT` holding `<g>\n`. A host that polls in between sees the
///    previous pointer, never a pointer to a file that is not there yet.
public enum GenerationUpload {
    /// Uploads the generation `store`'s `CURRENT` names to `location` and returns it.
    ///
    /// - Throws: `ReplicationError`: `.noLocalModel`, `.invalidLocalModel`, `.storage` (the
    ///   remote `CURRENT` is unchanged if the model file's upload failed), `.localFailure`.
    public static func publish(
        store: ModelStore, to location: ObjectStoreLocation, client: any ObjectStorageClient, workFolder: ReplicationWorkFolder
    ) throws(ReplicationError) -> Int {
        let current: Int?
        do throws(ModelFileError) {
            current = try store.currentGeneration()
            if let current { _ = try store.open(generation: current, verifyContents: true) }
        } catch {
            throw ReplicationError(.invalidLocalModel, "the local current generation cannot be uploaded: \(error)")
        }
        guard let generation = current else {
            throw ReplicationError(.noLocalModel, "no model is published in \(store.directory); train one with `rec-cli train` first")
        }
        let name = ModelStore.fileName(forGeneration: generation)
        do throws(ObjectStorageError) {
            try client.upload(store.path(forGeneration: generation), to: location, as: name)
        } catch {
            throw ReplicationError(.storage, "generation \(generation) was not uploaded: \(error)", storageError: error)
        }
        let pointer = try workFolder.write("\(generation)\n", to: ModelStore.currentPointerName)
        defer { workFolder.empty() }
        do throws(ObjectStorageError) {
            try client.upload(pointer, to: location, as: ModelStore.currentPointerName)
        } catch {
            throw ReplicationError(
                .storage, "generation \(generation) was uploaded but \(location)/CURRENT was not moved to it: \(error)",
                storageError: error)
        }
        return generation
    }
}
