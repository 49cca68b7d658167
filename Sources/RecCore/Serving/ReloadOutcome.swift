import RecModelFile

/// What a successful reload did: which generation is served now and which was before.
///
/// Returned by `ServedModelControl.reloadFromCurrent(dataDirectory:)` so the master can log
/// it after a `SIGHUP`, and rendered as the body of `/api/reload`.
public struct ReloadOutcome: Sendable {
    /// The generation served from now on.
    public var generation: Int
    /// The generation served before, or `nil` when none was.
    public var previousGeneration: Int?
    /// The control file's change count after the store.
    public var changeCount: UInt64
    /// The new generation, opened and fully validated (checksum included); a worker that
    /// performed the reload adopts it instead of opening the file again.
    public var model: LoadedModel
    /// Set when the new generation is in effect but the control file could not be synced to
    /// disk, so a crash could bring back the previous one; for the log.
    public var durabilityWarning: String?

    /// Creates an outcome.
    public init(generation: Int, previousGeneration: Int?, changeCount: UInt64, model: LoadedModel, durabilityWarning: String? = nil) {
        self.generation = generation
        self.previousGeneration = previousGeneration
        self.changeCount = changeCount
        self.model = model
        self.durabilityWarning = durabilityWarning
    }
}
