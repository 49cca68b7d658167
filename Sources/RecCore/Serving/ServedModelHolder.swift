import Logging
import Synchronization

/// The model generation one worker process serves, kept in step with the shared control file.
///
/// Before each request `snapshot()` makes one atomic load of the control file's change count
/// (see `ServedModelControlFile`). Only when it changed does it read the generation and, if
/// that differs from its own, open the new model file (`LoadedModel.open`, structural
/// validation; the reload already verified the checksum) and swap it in. Requests already
/// running keep their snapshot, so the old mapping goes away after the last request that
/// used it. If the new file cannot be opened, the worker keeps serving the old generation,
/// logs why (at most once a minute per generation), and tries again every `retryInterval`.
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
    ///   - retryInterval: How often a generation that failed to open is tried again.
    ///   - logInterval: The least time between two log lines about the same problem.
    public init(dataDirectory: DataDirectory, logger: Logger = Logger(label: "RecCore.ServedModelHolder"),
                controlCheckInterval: Duration = .seconds(1), retryInterval: Duration = .seconds(5),
                logInterval: Duration = .seconds(60)) {
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
            if state.failedGeneration != nil, now >= state.nextRetry, let control = state.control {
                refresh(&state, control: control, changeCount: control.changeCount, now: now)
            }
            return ServedModelSnapshot(engine: state.engine, problem: state.problem)
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
            guard state.engine?.model.generation != outcome.generation else { return }
            serve(outcome.model, in: &state, source: "reload")
        }
    }

    /// Swaps `model` in (the previous engine lives on in running requests' snapshots) and logs it.
    private func serve(_ model: LoadedModel, in state: inout State, source: String) {
        let previous = state.engine?.model.generation
        state.engine = RecommendationEngine(model: model)
        state.failedGeneration = nil
        state.problem = nil
        logger.info("serving model generation", metadata: [
            "generation": "\(model.generation)", "previous_generation": "\(previous.map(String.init) ?? "none")", "source": "\(source)",
        ])
    }

    /// Brings the served model in line with the control file's generation.
    private func refresh(_ state: inout State, control: ServedModelControlFile, changeCount: UInt64, now: Int64) {
        state.seenChangeCount = changeCount
        guard let generation = control.generation else {
            if state.engine == nil {
                state.problem = "the control file \(control.path) names no generation; train a model with `rec-cli train`, then POST /api/reload"
            }
            return
        }
        guard state.engine?.model.generation != generation else {
            state.failedGeneration = nil
            state.problem = nil
            return
        }
        let store = ModelStore(dataDirectory: dataDirectory)
        do throws(ModelFileError) {
            serve(try store.open(generation: generation), in: &state, source: "control file")
        } catch {
            state.failedGeneration = generation
            state.nextRetry = now + retryNanoseconds
            let keeping = state.engine.map { "still serving generation \($0.model.generation)" } ?? "no model is served"
            state.problem = "cannot open generation \(generation): \(error); \(keeping)"
            logProblem(&state, key: "open-\(generation)", now: now, message: "cannot serve the reloaded model generation", metadata: [
                "generation": "\(generation)", "error": "\(error)", "serving": "\(state.engine.map { String($0.model.generation) } ?? "none")",
            ])
        }
    }

    /// Maps the control file when it is not mapped yet or its path now names another file;
    /// without one, serves `CURRENT` directly.
    private func checkControlFile(_ state: inout State, now: Int64) {
        state.nextControlCheck = now + controlCheckNanoseconds
        if let control = state.control {
            let status = try? SystemCalls.fileStatus(control.path)
            if let status, status.device == control.identity.device, status.inode == control.identity.inode { return }
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
            logProblem(&state, key: "control", now: now, message: "cannot map the model control file; serving CURRENT without reload support", metadata: [
                "error": "\(controlError)",
            ])
            guard state.control == nil, state.engine == nil else { return }
            do throws(ModelFileError) {
                serve(try store.openCurrent(), in: &state, source: "CURRENT, without a control file")
            } catch {
                state.problem = "the control file cannot be mapped (\(controlError)) and CURRENT cannot be served (\(error))"
            }
        }
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
