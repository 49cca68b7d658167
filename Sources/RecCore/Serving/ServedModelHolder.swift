import Logging
import Synchronization
import RecConfiguration
import RecModelFile
import RecSystem

/// The model generation one worker process serves, kept in step with the shared control file.
///
/// Before each request `snapshot()` makes one atomic load of the control file's change count
/// (see `ServedModelControlFile`). Only when it changed does it read the generation and, if
/// that differs from its own or names another file than the one mapped (a generation's file
/// replaced under the same number), open the model file with full validation
/// (`LoadedModel.open(verifyContents: true)`: structure, checksum, finite floats) and swap it
/// in. Requests already running keep their snapshot, so the old mapping goes away after the
/// last request that used it. If the new file cannot be opened, the worker keeps serving the
/// old generation, logs why (at most once a minute per generation), and tries again every
/// `retryInterval`.
///
/// Each snapshot also checks, with one `fstat`, that the served file is unchanged since it was
/// validated (`LoadedModel.isUnchangedOnDisk`); `APIService` checks again after the request.
/// A file written or truncated in place is withdrawn: it is validated again from its path, and
/// served if it passes, else requests get 503 `invalid_model` until a valid generation is
/// reloaded or the file passes a retry.
///
/// At most once per `controlCheckInterval` it also checks that the control file's path still
/// names the mapped file, and maps it again (creating it if needed) when it was removed or
/// replaced. Without any usable control file (for example a read-only data folder), it serves
/// the generation `CURRENT` names, so the API still answers.
///
/// Thread-safe: the state is behind a mutex, held for the load and compare only, except in
/// the rare request that swaps generations.
public final class ServedModelHolder: Sendable {
    /// The data folder whose `model/` is served.
    public let dataDirectory: DataDirectory
    private let logger: Logger
    private let controlCheckNanoseconds: Int64
    private let retryNanoseconds: Int64
    private let logIntervalNanoseconds: Int64
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var control: ServedModelControlFile?
        var seenChangeCount: UInt64 = 0
        var engine: RecommendationEngine?
        var problem: String?
        /// The generation that failed to open, retried at `nextRetry`.
        var failedGeneration: Int?
        /// Whether the served generation was withdrawn because its file changed on disk.
        var isModelDamaged = false
        /// The failed generation's file as it was when it failed: a change to it (a restored
        /// or replaced file) is retried at once rather than at `nextRetry`.
        var failedIdentity: FileIdentity?
        var nextRetry: Int64 = 0
        var nextControlCheck: Int64 = 0
        /// When each kind of problem was last logged, and how many were suppressed since.
        var lastLogged: [String: (time: Int64, suppressed: Int)] = [:]
    }

    /// Creates the holder and loads the served generation right away, so the first request
    /// does not pay for it.
    ///
    /// - Parameters:
    ///   - dataDirectory: The data folder.
    ///   - logger: Where generation switches and problems are logged.
    ///   - controlCheckInterval: How often the control file's identity is checked.
    ///   - retryInterval: How often a generation that failed to open is tried again when its
    ///     file has not changed (a change is retried at once); each try validates the whole
    ///     file, which stalls the worker for some 15 ms on MovieLens-1M.
    ///   - logInterval: The least time between two log lines about the same problem.
    public init(
        dataDirectory: DataDirectory, logger: Logger = Logger(label: "RecCore.ServedModelHolder"),
        controlCheckInterval: Duration = .seconds(1), retryInterval: Duration = .seconds(30),
        logInterval: Duration = .seconds(60)
    ) {
        self.dataDirectory = dataDirectory
        self.logger = logger
        controlCheckNanoseconds = Self.nanoseconds(controlCheckInterval)
        retryNanoseconds = Self.nanoseconds(retryInterval)
        logIntervalNanoseconds = Self.nanoseconds(logInterval)
        state.withLock { state in checkControlFile(&state, now: SystemCalls.coarseMonotonicNanoseconds()) }
    }

    /// The generation to answer the next request from: the hot path, one atomic load and a
    /// clock read unless something changed.
    public func snapshot() -> ServedModelSnapshot {
        state.withLock { state in
            if let control = state.control {
                let changeCount = control.changeCount
                if changeCount != state.seenChangeCount {
                    refresh(&state, control: control, changeCount: changeCount, now: SystemCalls.coarseMonotonicNanoseconds())
                }
            }
            let now = SystemCalls.coarseMonotonicNanoseconds()
            if now >= state.nextControlCheck { checkControlFile(&state, now: now) }
            if let failed = state.failedGeneration, let control = state.control,
                now >= state.nextRetry || identityOnDisk(of: failed) != state.failedIdentity
            {
                refresh(&state, control: control, changeCount: control.changeCount, now: now)
            }
            if let model = state.engine?.model, !model.isUnchangedOnDisk { withdraw(model, in: &state, now: now) }
            return ServedModelSnapshot(engine: state.engine, problem: state.problem, isModelDamaged: state.isModelDamaged)
        }
    }

    /// Withdraws `model` if it is still the served one: called when a request found that its
    /// file changed on disk while the request read it.
    public func noteChangedOnDisk(_ model: LoadedModel) {
        state.withLock { state in
            guard state.engine?.model === model else { return }
            withdraw(model, in: &state, now: SystemCalls.coarseMonotonicNanoseconds())
        }
    }

    /// Replaces the served `model`, whose file changed on disk after it was validated, with the
    /// same generation validated again from its path; when that fails, serves nothing and
    /// marks the generation damaged, to be retried every `retryInterval`.
    private func withdraw(_ model: LoadedModel, in state: inout State, now: Int64) {
        let store = ModelStore(dataDirectory: dataDirectory)
        do throws(ModelFileError) {
            let validated = try store.open(generation: model.generation, verifyContents: true)
            logger.warning(
                "the served model file changed on disk; it was validated again and is served",
                metadata: [
                    "generation": "\(model.generation)", "path": "\(model.path)", "was": "\(model.fileIdentity)",
                    "now": "\(validated.fileIdentity)",
                ])
            serve(validated, in: &state, source: "validated again after an on-disk change")
        } catch {
            state.engine = nil
            state.isModelDamaged = true
            markFailed(model.generation, in: &state, now: now)
            state.problem = "generation \(model.generation) changed on disk after it was validated and no longer validates: \(error)"
            logProblem(
                &state, key: "damaged-\(model.generation)", now: now,
                message: "the served model file changed on disk after validation; refusing to answer from it",
                metadata: [
                    "generation": "\(model.generation)", "path": "\(model.path)", "error": "\(error)",
                ])
        }
    }

    /// The generation served now, or `nil`.
    public var generation: Int? { state.withLock { $0.engine?.model.generation } }

    /// Serves the model a reload in this process just validated, without opening it again;
    /// ignored when the holder has already seen a later change.
    public func adopt(_ outcome: ReloadOutcome) {
        state.withLock { state in
            guard outcome.changeCount > state.seenChangeCount || state.control == nil else { return }
            state.seenChangeCount = outcome.changeCount
            state.failedGeneration = nil
            state.problem = nil
            guard !Self.isServing(outcome.model.generation, identity: outcome.model.fileIdentity, state.engine) else { return }
            serve(outcome.model, in: &state, source: "reload")
        }
    }

    /// Swaps `model` in (the previous engine lives on in running requests' snapshots) and logs it.
    private func serve(_ model: LoadedModel, in state: inout State, source: String) {
        let previous = state.engine?.model.generation
        state.engine = RecommendationEngine(model: model)
        state.failedGeneration = nil
        state.isModelDamaged = false
        state.problem = nil
        logger.info(
            "serving model generation",
            metadata: [
                "generation": "\(model.generation)", "previous_generation": "\(previous.map(String.init) ?? "none")", "source": "\(source)",
            ])
    }

    /// Brings the served model in line with the control file's generation.
    private func refresh(_ state: inout State, control: ServedModelControlFile, changeCount: UInt64, now: Int64) {
        state.seenChangeCount = changeCount
        guard let generation = control.generation else {
            if state.engine == nil {
                state.problem =
                    "the control file \(control.path) names no generation; train a model with `rec-cli train`, then POST /api/reload"
            }
            return
        }
        let store = ModelStore(dataDirectory: dataDirectory)
        if let onDisk = identityOnDisk(of: generation), Self.isServing(generation, identity: onDisk, state.engine) {
            state.failedGeneration = nil
            state.problem = nil
            return
        }
        do throws(ModelFileError) {
            serve(try store.open(generation: generation, verifyContents: true), in: &state, source: "control file")
        } catch {
            markFailed(generation, in: &state, now: now)
            let keeping = state.engine.map { "still serving generation \($0.model.generation)" } ?? "no model is served"
            state.problem = "cannot open generation \(generation): \(error); \(keeping)"
            logProblem(
                &state, key: "open-\(generation)", now: now, message: "cannot serve the reloaded model generation",
                metadata: [
                    "generation": "\(generation)", "error": "\(error)",
                    "serving": "\(state.engine.map { String($0.model.generation) } ?? "none")",
                ])
        }
    }

    /// Maps the control file when it is not mapped yet or its path now names another file;
    /// without one, serves `CURRENT` directly.
    private func checkControlFile(_ state: inout State, now: Int64) {
        state.nextControlCheck = now + controlCheckNanoseconds
        if let control = state.control {
            let status = try? SystemCalls.fileStatus(control.path)
            if let status, status.identity.isSameFile(as: control.identity) { return }
        }
        let store = ModelStore(dataDirectory: dataDirectory)
        do throws(ModelFileError) {
            let control = try ServedModelControlFile.attach(store: store)
            let replaced = state.control != nil
            state.control = control
            state.seenChangeCount = 0
            if replaced {
                logger.warning("the model control file was removed or replaced; mapped it again", metadata: ["path": "\(control.path)"])
            }
            refresh(&state, control: control, changeCount: control.changeCount, now: now)
        } catch {
            let controlError = error
            logProblem(
                &state, key: "control", now: now, message: "cannot map the model control file; serving CURRENT without reload support",
                metadata: [
                    "error": "\(controlError)"
                ])
            guard state.control == nil, state.engine == nil else { return }
            do throws(ModelFileError) {
                serve(try store.openCurrent(verifyContents: true), in: &state, source: "CURRENT, without a control file")
            } catch {
                state.problem = "the control file cannot be mapped (\(controlError)) and CURRENT cannot be served (\(error))"
            }
        }
    }

    /// Records that `generation` failed to open, to be retried at `retryInterval` or as soon
    /// as its file changes.
    private func markFailed(_ generation: Int, in state: inout State, now: Int64) {
        state.failedGeneration = generation
        state.failedIdentity = identityOnDisk(of: generation)
        state.nextRetry = now + retryNanoseconds
    }

    /// The identity of `generation`'s file now, or nil when it cannot be read.
    private func identityOnDisk(of generation: Int) -> FileIdentity? {
        try? SystemCalls.fileStatus(ModelStore(dataDirectory: dataDirectory).path(forGeneration: generation)).identity
    }

    /// Whether `engine` serves `generation` from the file version `identity` and is intact.
    private static func isServing(_ generation: Int, identity: FileIdentity, _ engine: RecommendationEngine?) -> Bool {
        guard let model = engine?.model else { return false }
        return model.generation == generation && model.fileIdentity == identity && model.isUnchangedOnDisk
    }

    /// Logs `message` as an error unless the same `key` was logged less than the log interval ago.
    private func logProblem(_ state: inout State, key: String, now: Int64, message: Logger.Message, metadata: Logger.Metadata) {
        if let last = state.lastLogged[key], now - last.time < logIntervalNanoseconds {
            state.lastLogged[key] = (last.time, last.suppressed + 1)
            return
        }
        var metadata = metadata
        if let suppressed = state.lastLogged[key]?.suppressed, suppressed > 0 { metadata["suppressed_repeats"] = "\(suppressed)" }
        logger.error(message, metadata: metadata)
        state.lastLogged[key] = (now, 0)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let components = duration.components
        return components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
