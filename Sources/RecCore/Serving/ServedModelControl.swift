import RecConfiguration
import RecModelFile
import RecSystem

/// Decides which model generation the API serves: `/api/reload`, the prefork master's
/// `SIGHUP` handler and `rec-cli train` with `REC_AUTO_RELOAD=1` all go through here.
///
/// Publishing a model (`rec-cli train`) only moves `CURRENT`. What workers serve is the
/// generation in the shared control file `data/model/SERVED` (see `ServedModelControlFile`),
/// and a reload copies `CURRENT` into it after validating that generation fully. Every worker
/// in every container that shares `data/` checks the control file before each request, so
/// one reload anywhere reaches all of them.
public enum ServedModelControl {
    /// The path of the control file, `data/model/SERVED`.
    public static func controlFilePath(dataDirectory: DataDirectory) -> String {
        ServedModelControlFile.path(inModelDirectory: dataDirectory.modelDirectory)
    }

    /// Makes every worker serve the generation `CURRENT` names, from its next request on.
    ///
    /// Holding the model folder's lock (so it cannot race a publisher or pruning), it reads
    /// `CURRENT`, opens that generation with `LoadedModel.open(verifyContents: true)` (header,
    /// sections, invariants, the whole-file checksum and finite floats), and only then stores the generation
    /// in the control file with an atomic 64-bit store and `msync`. The control file is created
    /// first if missing. A generation that fails validation is refused and the control file
    /// keeps its value; so is a missing `CURRENT`.
    ///
    /// Once stored, the new generation is in effect for every worker even if the final `msync`
    /// fails; the outcome then carries a `durabilityWarning` for the log.
    ///
    /// - Throws: `ReloadError` with `.noModel` when nothing is published, `.invalidModel` when
    ///   the generation cannot be trusted, `.controlFileFailure` when the folder cannot be
    ///   locked or the control file cannot be created or mapped.
    package static func reloadFromCurrent(dataDirectory: DataDirectory) throws(ReloadError) -> ReloadOutcome {
        let store = ModelStore(dataDirectory: dataDirectory)
        let outcome: Result<ReloadOutcome, ReloadError>
        do throws(ModelFileError) {
            outcome = try store.withExclusiveLock { reloadHoldingLock(store: store) }
        } catch {
            throw ReloadError(.controlFileFailure, "cannot lock the model folder to reload: \(error)", modelFileError: error)
        }
        return try outcome.get()
    }

    /// The generation the control file names, or `nil` when it names none or does not exist
    /// yet (read without a lock or a mapping).
    public static func servedGeneration(dataDirectory: DataDirectory) throws(ModelFileError) -> Int? {
        try ServedModelControlFile.servedGeneration(inModelDirectory: dataDirectory.modelDirectory)
    }

    private static func reloadHoldingLock(store: ModelStore) -> Result<ReloadOutcome, ReloadError> {
        let control: ServedModelControlFile
        do throws(ModelFileError) {
            control = try ServedModelControlFile.attachHoldingLock(store: store)
        } catch {
            return .failure(ReloadError(.controlFileFailure, "cannot open the control file: \(error)", modelFileError: error))
        }
        let generation: Int
        do throws(ModelFileError) {
            guard let current = try store.currentGeneration() else {
                return .failure(
                    ReloadError(
                        .noModel,
                        "no model has been published in \(store.directory); train one with `rec-cli train --dataset=dataset/ratings_train.dat`, then reload"
                    ))
            }
            generation = current
        } catch {
            return .failure(ReloadError(.invalidModel, "refused to reload: \(error)", modelFileError: error))
        }
        let model: LoadedModel
        do throws(ModelFileError) {
            model = try store.open(generation: generation, verifyContents: true)
        } catch {
            return .failure(
                ReloadError(
                    .invalidModel, "refused to reload generation \(generation): \(error); the served generation is unchanged",
                    modelFileError: error))
        }
        let previous = control.generation
        let changeCount = control.store(generation: generation)
        var outcome = ReloadOutcome(generation: generation, previousGeneration: previous, changeCount: changeCount, model: model)
        do throws(SystemCallError) {
            try control.synchronize()
        } catch {
            outcome.durabilityWarning =
                "generation \(generation) is served, but the control file could not be synced to disk (\(error)); after a crash the previous generation may be served again"
        }
        return .success(outcome)
    }
}
