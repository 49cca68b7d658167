#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RecCore
import Synchronization

/// The per-request deadline (`REC_REQUEST_TIMEOUT_SECONDS`): a worker stuck on one request exits
/// with `WorkerExitCode.deadlineExceeded`, and the master logs it and starts a replacement.
///
/// Arming `alarm(2)` before and cancelling it after each request would cost two system calls per
/// request. Instead an interval timer (`setitimer(ITIMER_REAL)`) ticks once a second for the
/// worker's whole life; the request path only stores its start time in an atomic, and the
/// `SIGALRM` handler compares it with the clock. A stuck request is therefore ended between
/// the deadline and one tick after it. The handler does only async-signal-safe work: atomic
/// loads, `clock_gettime`, and `_exit`.
public enum RequestWatchdog {
    /// When the current request started (monotonic nanoseconds); 0 while idle.
    private static let requestStartedAt = Atomic<Int64>(0)
    /// The deadline in nanoseconds.
    private static let limit = Atomic<Int64>(Int64.max)

    /// Starts the ticking timer and the handler; call once per worker.
    public static func start(timeoutSeconds: UInt32) throws(SystemCallError) {
        requestStartedAt.store(0, ordering: .relaxed)
        limit.store(Int64(timeoutSeconds) * 1_000_000_000, ordering: .relaxed)
        try ServerSystemCalls.installHandler(checkDeadline, for: SIGALRM)
        let tickMicroseconds = min(Int(timeoutSeconds) * 1_000_000, 1_000_000)
        try ServerSystemCalls.startIntervalTimer(microseconds: tickMicroseconds)
    }

    /// Marks the start of a request at `now` (from `MonotonicClock`).
    @inline(__always)
    public static func requestStarted(at now: Int64) {
        requestStartedAt.store(now, ordering: .relaxed)
    }

    /// Marks the end of the request.
    @inline(__always)
    public static func requestFinished() {
        requestStartedAt.store(0, ordering: .relaxed)
    }

    /// Whether a request that started at `start` has overrun `limit` at `now` (0 means idle).
    public static func isOverdue(startedAt start: Int64, now: Int64, limit: Int64) -> Bool {
        start != 0 && now - start > limit
    }

    private static let checkDeadline: @convention(c) (Int32) -> Void = { _ in
        let start = RequestWatchdog.requestStartedAt.load(ordering: .relaxed)
        if RequestWatchdog.isOverdue(startedAt: start, now: MonotonicClock.nanoseconds(), limit: RequestWatchdog.limit.load(ordering: .relaxed)) {
            _exit(WorkerExitCode.deadlineExceeded)
        }
    }
}
