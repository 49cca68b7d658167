/// The exit codes of a worker process, which the master reads to decide what to do next.
public enum WorkerExitCode {
    /// Stopped as asked (SIGTERM/SIGINT), or served its request quota: replace without delay if
    /// the pool is still running.
    public static let finished: Int32 = 0
    /// Could not start: the listening socket or the lifeline is missing, or libfcgi failed to
    /// initialise. Counted as a crash.
    public static let startupFailed: Int32 = 70
    /// The master went away (its lifeline pipe closed).
    public static let masterGone: Int32 = 71
    /// A request ran past `REC_REQUEST_TIMEOUT_SECONDS`; the watchdog ended the worker.
    public static let deadlineExceeded: Int32 = 72
    /// A usage error: `rec-fcgi --worker` started by hand, or a bad argument.
    public static let usage: Int32 = 2
}
