import RecModelFile

/// Why `rec-cli publish --to` or one poll of `rec-cli sync --from` did not complete.
///
/// Every case leaves what the host serves unchanged. The sync loop retries each with a capped
/// exponential backoff (`SyncBackoff`); a remote generation that fails verification is not an
/// error but a `SyncOutcome.refused`, and is not downloaded again.
public struct ReplicationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// `publish`: the local model folder has no `CURRENT` generation.
        case noLocalModel = "no_local_model"
        /// `publish`: the local current generation fails verification, so it is not uploaded.
        case invalidLocalModel = "invalid_local_model"
        /// `sync`: the remote prefix has no `CURRENT` (nothing published there yet, or a wrong
        /// bucket or prefix).
        case noRemoteModel = "no_remote_model"
        /// `sync`: the remote `CURRENT` is not a generation number.
        case corruptRemotePointer = "corrupt_remote_pointer"
        /// `sync`: the remote `CURRENT` names a generation whose file is not there.
        case missingRemoteFile = "missing_remote_file"
        /// The bucket could not be reached, refused the credentials, or a transfer failed.
        case storage
        /// A local file could not be written or published (a full disk, permissions).
        case localFailure = "local_failure"
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for the log, without credentials.
    public var message: String
    /// The transfer error behind it, if any.
    public var storageError: ObjectStorageError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, storageError: ObjectStorageError? = nil) {
        self.code = code
        self.message = message
        self.storageError = storageError
    }

    /// The message.
    public var description: String { message }
}
