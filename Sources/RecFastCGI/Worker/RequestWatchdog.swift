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
/// loads, `clock_gettime`, `shutdown` and `_exit`.
///
/// A connection whose request has not fully arrived within `receiveTimeoutSeconds` is cut
/// instead (`shutdown`, so the blocked read returns and the worker takes the next connection):
/// nginx sends a whole request at once, so only a stalled or hostile client of the FastCGI
/// socket is that slow, and it must not hold a worker, let alone cost it its life.
public enum RequestWatchdog {
    /// How long a connection may take to deliver its whole request (parameters and body).
    public static let receiveTimeoutSeconds = 1

    /// When the current request started (monotonic nanoseconds); 0 while idle.
    private static let requestStartedAt = Atomic<Int64>(0)
    /// The connection whose request is still arriving, or -1.
    private static let receivingConnection = Atomic<Int32>(-1)
    /// The deadline in nanoseconds.
    private static let limit = Atomic<Int64>(Int64.max)

    /// Starts the ticking timer and the handler; call once per worker. It ticks at least twice
    /// a second, so a stalled connection is cut between 1 and 1.5 seconds after it was accepted.
    public static func start(timeoutSeconds: UInt32) throws(SystemCallError) {
        requestStartedAt.store(0, ordering: .relaxed)
        receivingConnection.store(-1, ordering: .relaxed)
        limit.store(Int64(timeoutSeconds) * 1_000_000_000, ordering: .relaxed)
        try ServerSystemCalls.installHandler(checkDeadline, for: SIGALRM)
        let tickMicroseconds = min(Int(timeoutSeconds) * 1_000_000, 500_000)
        try ServerSystemCalls.startIntervalTimer(microseconds: tickMicroseconds)
    }

    /// Marks the start of a request at `now` (from `MonotonicClock`) on `connection`, whose
    /// request is still to be read.
    @inline(__always)
    public static func requestStarted(at now: Int64, connection: Int32 = -1) {
        receivingConnection.store(connection, ordering: .relaxed)
        requestStartedAt.store(now, ordering: .relaxed)
    }

    /// Marks that the whole request has arrived: from here only the request deadline applies.
    @inline(__always)
    public static func requestReceived() {
        receivingConnection.store(-1, ordering: .relaxed)
    }

    /// Marks the end of the request.
    @inline(__always)
    public static func requestFinished() {
        receivingConnection.store(-1, ordering: .relaxed)
        requestStartedAt.store(0, ordering: .relaxed)
    }

    /// Whether a connection accepted at `start` has taken longer than `receiveTimeoutSeconds`
    /// to deliver its request at `now` (0 means idle).
    public static func isReceiveOverdue(startedAt start: Int64, now: Int64) -> Bool {
        isOverdue(startedAt: start, now: now, limit: Int64(receiveTimeoutSeconds) * 1_000_000_000)
    }

    /// Whether a request that started at `start` has overrun `limit` at `now` (0 means idle).
    public static func isOverdue(startedAt start: Int64, now: Int64, limit: Int64) -> Bool {
        start != 0 && now - start > limit
    }

    private static let checkDeadline: @convention(c) (Int32) -> Void = { _ in
        let start = RequestWatchdog.requestStartedAt.load(ordering: .relaxed)
        let receiving = RequestWatchdog.receivingConnection.load(ordering: .relaxed)
        if receiving >= 0, RequestWatchdog.isReceiveOverdue(startedAt: start, now: MonotonicClock.nanoseconds()) {
            RequestWatchdog.receivingConnection.store(-1, ordering: .relaxed)
            _ = shutdown(receiving, Int32(SHUT_RDWR))
            return
        }
        if RequestWatchdog.isOverdue(
            startedAt: start, now: MonotonicClock.nanoseconds(), limit: RequestWatchdog.limit.load(ordering: .relaxed))
        {
            _exit(WorkerExitCode.deadlineExceeded)
        }
    }
}
