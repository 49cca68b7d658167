#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RecCore

/// Starts worker processes: `posix_spawn` of the master's own binary in worker mode.
///
/// `fork()` is unsafe once Foundation or Dispatch may have started threads, so workers are new
/// processes running `/proc/self/exe` (the very build the master runs, even if the file was
/// replaced since) with `--worker`. Each one gets the listening socket as descriptor 0 (the
/// FastCGI convention, `FCGI_LISTENSOCK_FILENO`), the lifeline pipe's read end as descriptor 3
/// and, with metrics on, the shared counters file as descriptor 4 (with `--metrics-slot`);
/// everything else the master holds is close-on-exec. The signal mask is cleared
/// and the signals the master handles are reset to their defaults, and each worker gets its own
/// process group, so a terminal's Ctrl-C reaches only the master, which then drains the workers
/// in order.
public struct WorkerLauncher: Sendable {
    /// The binary to run, `/proc/self/exe`.
    public var executablePath: String
    /// `argv[0]` for workers, the name `ps` shows.
    public var programName: String
    /// The master's listening socket, which becomes the worker's descriptor 0.
    public var listeningDescriptor: Int32
    /// The read end of the lifeline pipe, which becomes the worker's descriptor 3.
    public var lifelineDescriptor: Int32
    /// The shared counters file, which becomes the worker's descriptor 4; `nil` with metrics off.
    public var metricsDescriptor: Int32?

    /// The descriptor the lifeline arrives on in a worker.
    public static let workerLifelineDescriptor: Int32 = 3
    /// The descriptor the shared counters file arrives on in a worker.
    public static let workerMetricsDescriptor: Int32 = 4

    /// A launcher for workers of the binary at `executablePath`.
    public init(
        executablePath: String = "/proc/self/exe", programName: String, listeningDescriptor: Int32, lifelineDescriptor: Int32,
        metricsDescriptor: Int32? = nil
    ) {
        self.executablePath = executablePath
        self.programName = programName
        self.listeningDescriptor = listeningDescriptor
        self.lifelineDescriptor = lifelineDescriptor
        self.metricsDescriptor = metricsDescriptor
    }

    /// The worker's arguments, `argv[0]` included; `metricsSlot` only counts when the launcher
    /// passes a counters file.
    public func arguments(maximumRequests: Int, metricsSlot: Int? = nil) -> [String] {
        var arguments = [programName, "--worker", "--max-requests", String(maximumRequests)]
        if let metricsSlot, metricsDescriptor != nil { arguments += ["--metrics-slot", String(metricsSlot)] }
        return arguments
    }

    /// Starts one worker that serves `maximumRequests` requests (0: no limit) and counts them in
    /// slot `metricsSlot` of the shared counters; returns its pid.
    public func launch(maximumRequests: Int, metricsSlot: Int? = nil) throws(SystemCallError) -> Int32 {
        try SystemCalls.check("posix_spawn", executablePath)
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_adddup2(&fileActions, listeningDescriptor, 0)
        posix_spawn_file_actions_adddup2(&fileActions, lifelineDescriptor, Self.workerLifelineDescriptor)
        if let metricsDescriptor { posix_spawn_file_actions_adddup2(&fileActions, metricsDescriptor, Self.workerMetricsDescriptor) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE, SIGALRM, SIGUSR1] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argumentStrings = arguments(maximumRequests: maximumRequests, metricsSlot: metricsSlot).map { strdup($0) }
        defer { for string in argumentStrings { free(string) } }
        var argumentVector: [UnsafeMutablePointer<CChar>?] = argumentStrings + [nil]
        var processID: pid_t = 0
        let result = argumentVector.withUnsafeMutableBufferPointer { vector in
            posix_spawn(&processID, executablePath, &fileActions, &attributes, vector.baseAddress!, environ)
        }
        guard result == 0 else { throw SystemCallError(call: "posix_spawn", subject: executablePath, errorNumber: result) }
        return processID
    }
}
