#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CoreMetrics
import Logging
import RecCore

/// The prefork master: opens the listening socket, starts the workers, and runs a small event
/// loop (signals, dead children, timers) that performs what `WorkerPoolState` decides.
///
/// No Dispatch and no threads: the loop waits in `poll` on the signal pipe with the state's
/// next deadline as the timeout. SIGCHLD reaps workers, SIGTERM/SIGINT drain the pool, SIGHUP
/// calls `ServedModelControl.reload(dataDirectory:trigger:logger:)`. The master also holds the write end of a lifeline pipe whose read
/// end every worker watches, so workers leave on their own if the master is killed outright.
///
/// With metrics on, it hands each worker the shared counters file and the slot of its pool
/// slot, so a replacement continues its predecessor's counts, and counts replacements in its
/// own slot (`recserve_worker_restarts_total`).
public final class WorkerPoolMaster {
    private let configuration: ServingConfiguration
    private let dataDirectory: DataDirectory
    private let logger: Logger
    private let programName: String
    private let metricsFile: SharedMetricsFile?
    private let restartCounter: Counter?
    private var state: WorkerPoolState
    private var exitCode: Int32?

    /// A master for `configuration`, logging through `logger`; `programName` becomes the workers' `argv[0]`.
    public convenience init(configuration: ServingConfiguration, dataDirectory: DataDirectory, logger: Logger, programName: String) {
        self.init(configuration: configuration, dataDirectory: dataDirectory, logger: logger, programName: programName, metricsFile: nil)
    }

    /// A master as above whose workers count into `metricsFile`, the file whose slot 0 the
    /// bootstrapped swift-metrics factory writes (`nil`: no counters).
    package init(
        configuration: ServingConfiguration, dataDirectory: DataDirectory, logger: Logger, programName: String,
        metricsFile: SharedMetricsFile?
    ) {
        self.configuration = configuration
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.programName = programName
        self.metricsFile = metricsFile
        restartCounter = metricsFile == nil ? nil : Counter(label: MetricNames.workerRestarts)
        state = WorkerPoolState(
            settings: WorkerPoolState.Settings(
                workerCount: configuration.workerCount,
                maximumRequests: configuration.maximumRequestsPerWorker,
                graceNanoseconds: Int64(configuration.graceSeconds) * 1_000_000_000,
                requestTimeoutSeconds: configuration.requestTimeoutSeconds),
            seed: UInt64.random(in: .min ... .max))
    }

    /// Runs the pool until it has drained; returns the exit code (0 after a clean drain).
    public func run() -> Int32 {
        Self.closeInheritedDescriptorsOnExec()
        ServerSystemCalls.ignore(SIGPIPE)
        guard let resources = openResources() else { return 1 }
        let socket = resources.socket
        defer {
            socket.removePath()
            socket.close()
            SystemCalls.close(resources.lifelineRead)
            SystemCalls.close(resources.lifelineWrite)
            if let metrics = resources.metricsDescriptor { SystemCalls.close(metrics) }
        }
        logger.info(
            "listening",
            metadata: [
                "address": "\(configuration.listenAddress)", "workers": "\(configuration.workerCount)",
                "max_requests": "\(configuration.maximumRequestsPerWorker)", "grace_seconds": "\(configuration.graceSeconds)",
                "request_timeout_seconds": "\(configuration.requestTimeoutSeconds)",
            ])
        let launcher = WorkerLauncher(
            programName: programName, listeningDescriptor: socket.descriptor,
            lifelineDescriptor: resources.lifelineRead, metricsDescriptor: resources.metricsDescriptor)

        perform(state.start(now: MonotonicClock.nanoseconds()), launcher: launcher, socket: socket)
        var waitSet = [pollfd(fd: resources.signalDescriptor, events: Int16(POLLIN), revents: 0)]
        var nextStoppedCheck = MonotonicClock.nanoseconds() + WorkerPoolState.stoppedWorkerCheckNanoseconds
        while exitCode == nil {
            do {
                _ = try ServerSystemCalls.poll(&waitSet, timeoutMilliseconds: pollTimeout(until: nextStoppedCheck))
            } catch {
                logger.error("cannot wait for events", metadata: ["error": "\(error)"])
            }
            handleSignals(from: resources.signalDescriptor, launcher: launcher, socket: socket)
            while let child = ServerSystemCalls.reapChild() {
                let termination = WorkerTermination(waitStatus: child.status)
                let restartsBefore = state.workerRestarts
                let actions = state.workerExited(processID: child.processID, termination: termination, now: MonotonicClock.nanoseconds())
                restartCounter?.increment(by: state.workerRestarts - restartsBefore)
                perform(actions, launcher: launcher, socket: socket)
            }
            perform(state.timerFired(now: MonotonicClock.nanoseconds()), launcher: launcher, socket: socket)
            let now = MonotonicClock.nanoseconds()
            if now >= nextStoppedCheck {
                nextStoppedCheck = now + WorkerPoolState.stoppedWorkerCheckNanoseconds
                let stopped = Set(state.liveProcessIDs.filter(ServerSystemCalls.isStopped))
                perform(state.workersObserved(stopped: stopped, now: now), launcher: launcher, socket: socket)
            }
        }
        return exitCode ?? 0
    }

    /// What the master holds open while it runs: the signal pipe's read end, the lifeline pipe
    /// (its read end, at descriptor 10 or above, is inherited by every worker), the socket, and
    /// a copy of the counters file's descriptor at 10 or above for the workers, if metrics are on.
    private struct Resources {
        var signalDescriptor: Int32
        var lifelineRead: Int32
        var lifelineWrite: Int32
        var socket: ListeningSocket
        var metricsDescriptor: Int32?
    }

    /// Installs the signal pipe, opens the lifeline and the listening socket, then drops root
    /// privileges; logs why and returns nil if any step fails.
    private func openResources() -> Resources? {
        do {
            let signalDescriptor = try SignalPipe.install(signals: [SIGTERM, SIGINT, SIGHUP, SIGCHLD])
            let pipe = try ServerSystemCalls.pipe(nonBlocking: false, subject: "lifeline")
            let lifelineRead = try ServerSystemCalls.duplicate(pipe.read, atLeast: 10, subject: "lifeline")
            SystemCalls.close(pipe.read)
            let socket = try ListeningSocket.open(configuration.listenAddress)
            _ = try PrivilegeDrop.dropIfRoot(configuration: configuration, dataDirectory: dataDirectory, logger: logger)
            // Above the descriptors the launcher fills (0, 3 and 4), so no dup2 overwrites it first.
            let metricsDescriptor = try metricsFile.map { file throws(SystemCallError) in
                try ServerSystemCalls.duplicate(file.descriptor, atLeast: 10, subject: "shared counters")
            }
            return Resources(
                signalDescriptor: signalDescriptor, lifelineRead: lifelineRead, lifelineWrite: pipe.write, socket: socket,
                metricsDescriptor: metricsDescriptor)
        } catch {
            logger.critical("cannot start the worker pool", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Acts on every signal that arrived: SIGTERM and SIGINT drain the pool, SIGHUP reloads the
    /// served model. SIGCHLD only wakes the loop, which then reaps.
    private func handleSignals(from descriptor: Int32, launcher: WorkerLauncher, socket: ListeningSocket) {
        for signal in SignalPipe.takeSignals(from: descriptor) {
            switch signal {
            case SIGTERM, SIGINT:
                let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
                perform(state.stopRequested(signalName: name, now: MonotonicClock.nanoseconds()), launcher: launcher, socket: socket)
            case SIGHUP:
                // Not forwarded to the workers: the control file, not a signal, is how
                // workers in every container learn about a new model.
                _ = ServedModelControl.reload(dataDirectory: dataDirectory, trigger: .signal, logger: logger)
            default:
                break
            }
        }
    }

    /// Milliseconds until the state's next deadline or `stoppedCheck`, whichever comes first,
    /// rounded up.
    private func pollTimeout(until stoppedCheck: Int64) -> Int32 {
        let deadline = min(state.nextDeadline ?? stoppedCheck, stoppedCheck)
        let remaining = deadline - MonotonicClock.nanoseconds()
        if remaining <= 0 { return 0 }
        return Int32(min((remaining + 999_999) / 1_000_000, Int64(Int32.max)))
    }

    private func perform(_ actions: [WorkerPoolState.Action], launcher: WorkerLauncher, socket: ListeningSocket) {
        for action in actions {
            switch action {
            case .spawn(let slot, let maximumRequests):
                do {
                    let processID = try launcher.launch(
                        maximumRequests: maximumRequests, metricsSlot: MetricsLayout.workerSlot(poolSlot: slot))
                    state.workerStarted(slot: slot, processID: processID, now: MonotonicClock.nanoseconds())
                    logger.debug(
                        "worker started", metadata: ["pid": "\(processID)", "slot": "\(slot)", "max_requests": "\(maximumRequests)"])
                } catch {
                    perform(
                        state.spawnFailed(slot: slot, reason: error.description, now: MonotonicClock.nanoseconds()),
                        launcher: launcher, socket: socket)
                }
            case .signal(let signal, let processID):
                ServerSystemCalls.sendSignal(signal == .kill ? SIGKILL : SIGTERM, to: processID)
            case .log(let entry):
                var metadata: Logger.Metadata = [:]
                for (key, value) in entry.metadata { metadata[key] = .string(value) }
                logger.log(level: entry.level, "\(entry.message)", metadata: metadata)
            case .closeListener:
                socket.removePath()
            case .exit(let code):
                exitCode = code
            }
        }
    }

    /// Marks every descriptor the master inherited (from a shell, make or a test runner) above
    /// standard error close-on-exec, so workers start with only what they are given.
    private static func closeInheritedDescriptorsOnExec() {
        guard let names = try? SystemCalls.listDirectory("/proc/self/fd") else { return }
        for name in names {
            if let descriptor = Int32(name), descriptor > 2 { ServerSystemCalls.setCloseOnExec(descriptor) }
        }
    }
}
