#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Nanoseconds on `CLOCK_MONOTONIC`, which never jumps when the wall clock is set.
///
/// The master's timers (restart back-off, the drain deadline) and each request's latency are
/// differences of these readings; the decision logic takes them as plain integers, so tests
/// pass in whatever time they like.
public enum MonotonicClock {
    /// The current reading, in nanoseconds since an arbitrary fixed point.
    @inline(__always)
    public static func nanoseconds() -> Int64 {
        var time = timespec()
        _ = clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
