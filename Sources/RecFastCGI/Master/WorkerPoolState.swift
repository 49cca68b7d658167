#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import RecCore

/// The master's decisions as a pure state machine: given what happened (a worker started or
/// ended, a stop was asked for, a timer fired) and the time, it says what to do next.
///
/// It owns no process, socket or clock; `WorkerPoolMaster` performs the actions and feeds back
/// the results. That keeps every policy (respawn, back-off, recycling, draining, the grace
/// deadline) testable with plain values.
///
/// - Running: every slot has a worker; a worker that exits cleanly (quota served) is replaced at
///   once with a new jittered quota, a crashed one after `RestartRateLimiter`'s delay.
/// - Draining (first SIGTERM/SIGINT): the listener closes, every worker gets SIGTERM, nothing is
///   restarted; when the last worker is gone the master exits 0.
/// - Killing (grace period over, or a second stop signal): the rest get SIGKILL and the master
///   exits 1 once they are reaped, because in-flight requests were cut off.
public struct WorkerPoolState: Sendable {
    /// The pool's fixed settings.
    public struct Settings: Sendable, Equatable {
        /// How many workers run.
        public var workerCount: Int
        /// `REC_MAX_REQUESTS` before jitter; 0 means never recycle.
        public var maximumRequests: Int
        /// How long a drain may take, in nanoseconds.
        public var graceNanoseconds: Int64
        /// The per-request deadline, named in the log when a worker dies of `SIGALRM`.
        public var requestTimeoutSeconds: Int

        /// Creates settings.
        public init(workerCount: Int, maximumRequests: Int, graceNanoseconds: Int64, requestTimeoutSeconds: Int) {
            self.workerCount = workerCount
            self.maximumRequests = maximumRequests
            self.graceNanoseconds = graceNanoseconds
            self.requestTimeoutSeconds = requestTimeoutSeconds
        }
    }

    /// A signal the master sends a worker.
    public enum WorkerSignal: Sendable, Equatable {
        /// SIGTERM: finish the current request, then exit.
        case terminate
        /// SIGKILL: stop now.
        case kill
    }

    /// A log record the master should write.
    public struct LogEntry: Sendable, Equatable {
        /// Its level.
        public var level: Logger.Level
        /// The human sentence.
        public var message: String
        /// Details, such as the worker's pid and slot.
        public var metadata: [String: String]
    }

    /// Something the master should do.
    public enum Action: Sendable, Equatable {
        /// Start a worker for `slot` that serves `maximumRequests` requests (0: no limit), then
        /// report `workerStarted` or `spawnFailed`.
        case spawn(slot: Int, maximumRequests: Int)
        /// Send `signal` to the worker `processID`.
        case signal(WorkerSignal, processID: Int32)
        /// Write a log record.
        case log(LogEntry)
        /// Stop taking new connections: remove the unix socket's path, so nginx fails fast
        /// instead of queueing behind workers that are leaving.
        case closeListener
        /// Exit the master with `code`.
        case exit(code: Int32)
    }

    /// Where the pool is in its life.
    public enum Phase: Sendable, Equatable {
        /// Serving, keeping every slot filled.
        case running
        /// Waiting for workers to finish, until `deadline`.
        case draining(deadline: Int64)
        /// Waiting for killed workers to be reaped.
        case killing
        /// Exit was requested.
        case finished
    }

    /// One worker's place in the pool.
    public struct Slot: Sendable, Equatable {
        /// The worker's pid while one runs.
        public var processID: Int32?
        /// When a replacement is due, while waiting out a restart delay.
        public var restartAt: Int64?
        /// Since when the worker has been seen stopped (`SIGSTOP`, a debugger), if it is.
        public var stoppedSince: Int64?
    }

    /// How often the master looks for stopped workers while the pool runs.
    public static let stoppedWorkerCheckNanoseconds: Int64 = 500_000_000

    /// The settings.
    public let settings: Settings
    /// The slots, one per worker.
    public private(set) var slots: [Slot]
    /// The current phase.
    public private(set) var phase: Phase = .running
    /// The crash back-off.
    public private(set) var limiter: RestartRateLimiter
    /// Draws each worker's jittered quota.
    private var quotaGenerator: SeededRandomNumberGenerator
    /// Whether some worker had to be killed, which makes the exit code 1.
    private var killedWorkers = false
    /// How many workers ended while the pool was running, each of which gets a replacement
    /// (recycled after its quota, crashed, killed past the deadline). The master counts the
    /// increase after each event as `recserve_worker_restarts_total`.
    public private(set) var workerRestarts = 0

    /// A pool of `settings.workerCount` empty slots; `seed` fixes the quota jitter.
    public init(settings: Settings, limiter: RestartRateLimiter = RestartRateLimiter(), seed: UInt64) {
        self.settings = settings
        self.slots = Array(repeating: Slot(), count: settings.workerCount)
        self.limiter = limiter
        self.quotaGenerator = SeededRandomNumberGenerator(seed: seed)
    }

    /// The pids of the workers that are running.
    public var liveProcessIDs: [Int32] { slots.compactMap(\.processID) }

    /// The earliest moment `timerFired` has something to do, or nil when only events matter.
    public var nextDeadline: Int64? {
        switch phase {
        case .running: return slots.compactMap(\.restartAt).min()
        case .draining(let deadline): return deadline
        case .killing, .finished: return nil
        }
    }

    /// Fills every slot.
    public mutating func start(now: Int64) -> [Action] {
        var actions: [Action] = [
            .log(
                LogEntry(
                    level: .info, message: "starting workers",
                    metadata: [
                        "workers": "\(settings.workerCount)", "max_requests": "\(settings.maximumRequests)",
                    ]))
        ]
        for slot in slots.indices { actions.append(spawnAction(for: slot)) }
        return actions
    }

    /// Records that the worker for `slot` started as `processID`.
    public mutating func workerStarted(slot: Int, processID: Int32, now: Int64) {
        slots[slot].processID = processID
        slots[slot].restartAt = nil
    }

    /// Records that starting a worker for `slot` failed; retried like a crash.
    public mutating func spawnFailed(slot: Int, reason: String, now: Int64) -> [Action] {
        let delay = limiter.delayAfterCrash(at: now)
        var actions: [Action] = [
            .log(
                LogEntry(
                    level: .error, message: "cannot start a worker",
                    metadata: [
                        "slot": "\(slot)", "error": reason, "retry_in_ms": "\(delay / 1_000_000)",
                    ]))
        ]
        actions += scheduleRestart(of: slot, after: delay, now: now)
        return actions
    }

    /// Handles the end of worker `processID`.
    public mutating func workerExited(processID: Int32, termination: WorkerTermination, now: Int64) -> [Action] {
        guard let slot = slots.firstIndex(where: { $0.processID == processID }) else { return [] }
        slots[slot].processID = nil
        let details = ["pid": "\(processID)", "slot": "\(slot)", "how": termination.description]
        switch phase {
        case .running:
            workerRestarts += 1
            if termination.isClean {
                return [
                    .log(LogEntry(level: .info, message: "worker recycled after its request quota", metadata: details)),
                    spawnAction(for: slot),
                ]
            }
            let delay = limiter.delayAfterCrash(at: now)
            var metadata = details
            metadata["restart_in_ms"] = "\(delay / 1_000_000)"
            metadata["crashes_in_window"] = "\(limiter.crashCount(at: now))"
            let message: String
            if termination == .exited(code: WorkerExitCode.deadlineExceeded) || termination == .signaled(signal: SIGALRM) {
                message = "worker exceeded the request deadline and was killed"
                metadata["request_timeout_seconds"] = "\(settings.requestTimeoutSeconds)"
            } else {
                message = "worker died unexpectedly"
            }
            var actions: [Action] = [.log(LogEntry(level: .error, message: message, metadata: metadata))]
            actions += scheduleRestart(of: slot, after: delay, now: now)
            return actions
        case .draining, .killing:
            var actions: [Action] = [.log(LogEntry(level: .info, message: "worker stopped", metadata: details))]
            actions += finishIfEmpty()
            return actions
        case .finished:
            return []
        }
    }

    /// Handles SIGTERM or SIGINT (`signalName`): the first drains, a second one kills.
    public mutating func stopRequested(signalName: String, now: Int64) -> [Action] {
        switch phase {
        case .running:
            phase = .draining(deadline: now + settings.graceNanoseconds)
            for slot in slots.indices { slots[slot].restartAt = nil }
            var actions: [Action] = [
                .log(
                    LogEntry(
                        level: .info, message: "stopping: draining workers",
                        metadata: [
                            "signal": signalName, "workers": "\(liveProcessIDs.count)",
                            "grace_seconds": "\(settings.graceNanoseconds / 1_000_000_000)",
                        ])),
                .closeListener,
            ]
            actions += liveProcessIDs.map { .signal(.terminate, processID: $0) }
            actions += finishIfEmpty()
            return actions
        case .draining:
            return killRemaining(reason: "a second stop signal arrived", signalName: signalName)
        case .killing, .finished:
            return []
        }
    }

    /// Kills workers that have been stopped for longer than the request deadline.
    ///
    /// A stopped worker cannot run its own watchdog (`SIGALRM` waits until it continues), yet
    /// it may hold a request nginx is waiting on. `stopped` is the set of live workers seen
    /// stopped at `now`; one stopped past `requestTimeoutSeconds` is killed, so nginx retries
    /// its request elsewhere and the slot gets a fresh worker.
    public mutating func workersObserved(stopped: Set<Int32>, now: Int64) -> [Action] {
        guard phase == .running else { return [] }
        var actions: [Action] = []
        let limit = Int64(settings.requestTimeoutSeconds) * 1_000_000_000
        for slot in slots.indices {
            guard let processID = slots[slot].processID, stopped.contains(processID) else {
                slots[slot].stoppedSince = nil
                continue
            }
            let since = slots[slot].stoppedSince ?? now
            slots[slot].stoppedSince = since
            guard now - since > limit else { continue }
            slots[slot].stoppedSince = nil
            actions.append(
                .log(
                    LogEntry(
                        level: .error, message: "worker was stopped past the request deadline; killing it",
                        metadata: [
                            "pid": "\(processID)", "stopped_seconds": "\((now - since) / 1_000_000_000)",
                            "request_timeout_seconds": "\(settings.requestTimeoutSeconds)",
                        ])))
            actions.append(.signal(.kill, processID: processID))
        }
        return actions
    }

    /// Starts replacements whose delay is over, and enforces the drain deadline.
    public mutating func timerFired(now: Int64) -> [Action] {
        switch phase {
        case .running:
            var actions: [Action] = []
            for slot in slots.indices {
                if let due = slots[slot].restartAt, due <= now {
                    slots[slot].restartAt = nil
                    actions.append(spawnAction(for: slot))
                }
            }
            return actions
        case .draining(let deadline) where now >= deadline:
            return killRemaining(reason: "the grace period is over", signalName: nil)
        case .draining, .killing, .finished:
            return []
        }
    }

    private mutating func spawnAction(for slot: Int) -> Action {
        .spawn(slot: slot, maximumRequests: RecycleQuota.jittered(settings.maximumRequests, using: &quotaGenerator))
    }

    private mutating func scheduleRestart(of slot: Int, after delay: Int64, now: Int64) -> [Action] {
        guard phase == .running else { return finishIfEmpty() }
        if delay == 0 { return [spawnAction(for: slot)] }
        slots[slot].restartAt = now + delay
        return []
    }

    private mutating func killRemaining(reason: String, signalName: String?) -> [Action] {
        let remaining = liveProcessIDs
        phase = .killing
        var metadata = ["reason": reason, "workers": "\(remaining.count)"]
        if let signalName { metadata["signal"] = signalName }
        var actions: [Action] = []
        if !remaining.isEmpty {
            killedWorkers = true
            actions.append(.log(LogEntry(level: .warning, message: "killing workers that are still busy", metadata: metadata)))
            actions += remaining.map { .signal(.kill, processID: $0) }
        }
        actions += finishIfEmpty()
        return actions
    }

    /// Exits once no worker is left (while stopping).
    private mutating func finishIfEmpty() -> [Action] {
        guard phase != .running, phase != .finished, liveProcessIDs.isEmpty else { return [] }
        phase = .finished
        let code: Int32 = killedWorkers ? 1 : 0
        return [
            .log(LogEntry(level: .info, message: "all workers stopped; master exiting", metadata: ["exit_code": "\(code)"])),
            .exit(code: code),
        ]
    }
}
