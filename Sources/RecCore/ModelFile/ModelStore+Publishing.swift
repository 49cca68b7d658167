#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecSystem

/// What `ModelStore.publish` did, returned so the caller can log it (the store logs nothing).
public struct ModelPublication: Sendable, Equatable {
    /// The new generation, which `CURRENT` now names.
    public var generation: Int
    /// The path of its model file.
    public var path: String
    /// The size of its model file in bytes.
    public var byteCount: Int
    /// The older generations whose files pruning removed.
    public var prunedGenerations: [Int]
    /// Why pruning failed, if it did; the publication itself succeeded regardless.
    public var pruneError: ModelFileError?
}

extension ModelStore {
    /// Publishes `artifact` as a new generation and makes it current, then prunes old ones.
    ///
    /// Under an exclusive `flock` on `.lock` (so concurrent trainers, in any process, get
    /// distinct numbers) it takes the next generation number, writes `model-<n>.tmp`, fsyncs it,
    /// renames it to `model-<n>.recmodel`, fsyncs the folder, and swaps `CURRENT` the same way
    /// (`setCurrent`). If a step fails, no temporary file is left and `CURRENT` still names the
    /// previous generation. Finally it keeps the newest `retainedGenerationCount` generations,
    /// the current one, the served one and the protected ones, and removes the rest.
    public func publish(_ artifact: ModelArtifact) throws(ModelFileError) -> ModelPublication {
        try publish(encodedFile: try ModelFileWriter.encode(artifact))
    }

    /// Publishes the bytes of a finished model file as a new generation, in the steps `publish`
    /// describes. The caller has validated them: `publish(_:)` by encoding, `importVerified`
    /// by opening and verifying a downloaded copy.
    func publish(encodedFile bytes: [UInt8]) throws(ModelFileError) -> ModelPublication {
        try withExclusiveLock { () throws(ModelFileError) in
            let generation = try nextGeneration()
            let path = path(forGeneration: generation)
            do throws(ModelFileError) {
                do throws(SystemCallError) {
                    try AtomicFileWriter.write(bytes, to: path, temporaryPath: "\(directory)/model-\(generation).tmp")
                } catch {
                    throw ModelFileError(error, path: path)
                }
                try writeCurrentPointer(generation)
            } catch {
                // A file that never became current is removed; once the rename of CURRENT
                // happened, the file it names must stay.
                if (try? currentGeneration()) != generation { try? SystemCalls.unlink(path) }
                throw error
            }
            var publication = ModelPublication(
                generation: generation, path: path, byteCount: bytes.count,
                prunedGenerations: [], pruneError: nil)
            do throws(ModelFileError) {
                publication.prunedGenerations = try pruneHoldingLock(keeping: retainedGenerationCount)
            } catch {
                publication.pruneError = error
            }
            return publication
        }
    }

    /// Makes `generation` the current one by swapping `CURRENT` atomically, after checking that
    /// its model file exists and opens (its checksum is not verified).
    ///
    /// The serving layer uses it to roll back or forward to a kept generation.
    public func setCurrent(generation: Int) throws(ModelFileError) {
        try withExclusiveLock { () throws(ModelFileError) in
            _ = try open(generation: generation)
            try writeCurrentPointer(generation)
        }
    }

    /// Removes the model files of all generations except the newest `count` (by default
    /// `retainedGenerationCount`), the one `CURRENT` names, the one the API serves (named by
    /// the `SERVED` control file, see `ServedModelControl`) and the protected ones, and any
    /// temporary files that interrupted writers left; returns the removed generations.
    ///
    /// The newest generation is kept even when `count` is 0, so the next number, one more
    /// than the highest file, is never one that was handed out before.
    ///
    /// A worker that still has a removed file mapped keeps using it; the disk space is freed
    /// when it unmaps. Pruning refuses to run while `CURRENT` cannot be read, because it could
    /// not tell which generation must stay, and likewise while `SERVED` exists but cannot be read.
    @discardableResult
    public func prune(keeping count: Int? = nil) throws(ModelFileError) -> [Int] {
        try withExclusiveLock { () throws(ModelFileError) in
            try pruneHoldingLock(keeping: count ?? retainedGenerationCount)
        }
    }

    /// One more than the highest generation with a file or named by `CURRENT`. A garbage
    /// `CURRENT` is ignored here, so publishing a new model repairs it.
    private func nextGeneration() throws(ModelFileError) -> Int {
        let current = (try? currentGeneration()) ?? nil
        return max(try generations().last ?? 0, current ?? 0) + 1
    }

    /// Writes `CURRENT` atomically: `CURRENT.tmp`, fsync, rename, folder fsync.
    private func writeCurrentPointer(_ generation: Int) throws(ModelFileError) {
        do throws(SystemCallError) {
            try AtomicFileWriter.write(
                Array("\(generation)\n".utf8), to: currentPointerPath,
                temporaryPath: currentPointerPath + ".tmp")
        } catch {
            throw ModelFileError(error, path: currentPointerPath)
        }
    }

    private func pruneHoldingLock(keeping count: Int) throws(ModelFileError) -> [Int] {
        let names = try fileNames()
        let all = Self.generations(in: names)
        var kept = Set(all.suffix(max(count, 1))).union(protectedGenerations())
        if let current = try currentGeneration() { kept.insert(current) }
        // Workers open the generation the control file names on their next request, so its
        // file must stay even when CURRENT has moved on without a reload.
        if let served = try ServedModelControlFile.servedGeneration(inModelDirectory: directory) { kept.insert(served) }
        var removed: [Int] = []
        for generation in all where !kept.contains(generation) {
            try removeIfPresent(path(forGeneration: generation))
            removed.append(generation)
        }
        // Every writer holds the lock while its temporary file exists, so any left now is stale.
        for name in names where name == Self.currentPointerName + ".tmp" || (name.hasPrefix("model-") && name.hasSuffix(".tmp")) {
            try removeIfPresent(directory + "/" + name)
        }
        return removed
    }

    private func removeIfPresent(_ path: String) throws(ModelFileError) {
        do throws(SystemCallError) {
            try SystemCalls.unlink(path)
        } catch  where error.errorNumber == ENOENT {
            return
        } catch {
            throw ModelFileError(error, path: path)
        }
    }

    /// Runs `body` holding an exclusive `flock` on the folder's `.lock` file, creating the
    /// folder and the lock file if needed. The lock file is never removed, as removing it
    /// would let two writers lock two different files.
    ///
    /// Every writer of the folder takes it: publishing, pruning, moving `CURRENT`, and the
    /// serving layer when it creates or updates the `SERVED` control file. The lock is not
    /// re-entrant: `body` must not call another locking method of the store.
    package func withExclusiveLock<Result>(_ body: () throws(ModelFileError) -> Result) throws(ModelFileError) -> Result {
        let lockPath = directory + "/" + Self.lockFileName
        let descriptor: Int32
        do throws(SystemCallError) {
            try SystemCalls.makeDirectories(directory)
            descriptor = try SystemCalls.open(lockPath, flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o644)
        } catch {
            throw ModelFileError(error, path: lockPath)
        }
        defer { SystemCalls.close(descriptor) }
        do throws(SystemCallError) {
            try SystemCalls.lockExclusive(descriptor, subject: lockPath)
        } catch {
            throw ModelFileError(error, path: lockPath)
        }
        defer { SystemCalls.unlock(descriptor) }
        return try body()
    }
}
