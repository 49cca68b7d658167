/// The moment a log record was made, as UTC wall-clock time.
///
/// Records from every process land in one file, so they carry absolute UTC time with
/// milliseconds, which sorts and compares across processes and machines.
public struct LogTimestamp: Sendable, Equatable {
    /// Whole seconds since 1970-01-01T00:00:00Z; negative before it.
    public var secondsSinceEpoch: Int64
    /// The fraction of the second, 0 to 999,999,999 nanoseconds.
    public var nanoseconds: Int32

    /// A timestamp `secondsSinceEpoch` plus `nanoseconds` after the epoch.
    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
    }

    /// The current wall-clock time.
    public static func now() -> LogTimestamp {
        let time = SystemCalls.wallClockTime()
        return LogTimestamp(secondsSinceEpoch: Int64(time.tv_sec), nanoseconds: Int32(time.tv_nsec))
    }

    /// ISO-8601 in UTC with milliseconds, for example `2026-11-26T18:45:49.123Z`.
    public var iso8601: String {
        var bytes: [UInt8] = []
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO-8601 text to `bytes`; milliseconds are truncated, never rounded up
    /// into the next second.
    func appendISO8601(to bytes: inout [UInt8]) {
        let secondsPerDay: Int64 = 86_400
        var days = secondsSinceEpoch / secondsPerDay
        var secondOfDay = secondsSinceEpoch % secondsPerDay
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += secondsPerDay
        }
        let date = CivilDate(daysSinceEpoch: days)
        bytes.appendDecimal(date.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendDecimal(date.month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        bytes.appendDecimal(date.day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        bytes.appendDecimal(secondOfDay / 3_600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        bytes.appendDecimal(secondOfDay / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        bytes.appendDecimal(secondOfDay % 60, width: 2)
        bytes.append(UInt8(ascii: "."))
        bytes.appendDecimal(Int64(min(max(nanoseconds, 0), 999_999_999) / 1_000_000), width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }
}
