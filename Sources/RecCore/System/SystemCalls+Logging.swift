#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SystemCalls {
    /// `clock_gettime(CLOCK_REALTIME)`: the wall-clock time, which stamps every log record.
    ///
    /// The real-time clock cannot fail for a valid clock id, so there is nothing to inject or report.
    package static func wallClockTime() -> timespec {
        var time = timespec()
        _ = clock_gettime(CLOCK_REALTIME, &time)
        return time
    }
}
