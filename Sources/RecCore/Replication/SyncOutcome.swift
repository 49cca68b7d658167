import RecAPI
import RecModelFile

/// What one poll of `rec-cli sync` did (a poll that could not finish throws
/// `ReplicationError` instead).
public enum SyncOutcome: Sendable {
    /// The remote `CURRENT` names the generation this process handled last: nothing to do.
    case unchanged(remoteGeneration: Int)
    /// The remote generation is byte for byte the local current one (its checksum matches),
    /// for example after a restart of `rec-cli sync`: nothing was published.
    case alreadyCurrent(remoteGeneration: Int, localGeneration: Int)
    /// The remote generation was verified, published locally as `publication.generation`,
    /// and the pool reloaded (`reload` says whether that worked).
    case published(remoteGeneration: Int, publication: ModelPublication, reload: Result<ReloadOutcome, ReloadError>)
    /// The remote generation failed verification (a corrupt or partial upload) and was not
    /// published; the host keeps serving what it served. It is not downloaded again until the
    /// remote `CURRENT` changes.
    case refused(remoteGeneration: Int, error: ModelFileError)
}
