import Foundation
import RecSystem

/// An instant as UTC wall-clock time, and the one ISO-8601 formatter of RecServe.
///
/// Log records from every process land in one file, so they carry absolute UTC time with
/// milliseconds (`iso8601`), which sorts and compares across processes and machines; model
/// metadata, evaluation records and `/api/info` use whole seconds (`iso8601WholeSeconds`).
/// The text is built from integer arithmetic (`CivilDate`), not a `DateFormatter`, because a
/// log line is built for every record.
public struct UTCTimestamp: Sendable, Equatable {
    /// Whole seconds since 1970-01-01T00:00:00Z; negative before it.
    public var secondsSinceEpoch: Int64
    /// The fraction of the second, 0 to 999,999,999 nanoseconds.
    public var nanoseconds: Int32

    /// A timestamp `secondsSinceEpoch` plus `nanoseconds` after the epoch.
    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
    }

    /// The instant `date`, to the nanosecond (rounded down).
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        self.init(
            secondsSinceEpoch: Int64(seconds),
            nanoseconds: Int32(min(max((date.timeIntervalSince1970 - seconds) * 1e9, 0), 999_999_999)))
    }

    /// The current wall-clock time.
    public static func now() -> UTCTimestamp {
        let time = SystemCalls.wallClockTime()
        return UTCTimestamp(secondsSinceEpoch: Int64(time.tv_sec), nanoseconds: Int32(time.tv_nsec))
    }

    /// ISO-8601 in UTC with milliseconds, for example `2026-11-26T18:45:49.123Z`.
    public var iso8601: String {
        var bytes: [UInt8] = []
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ISO-8601 in UTC to the second, for example `2026-11-26T18:45:49Z`.
    public var iso8601WholeSeconds: String {
        var bytes: [UInt8] = []
        appendISO8601(to: &bytes, includingMilliseconds: false)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO-8601 text to `bytes`; the fraction is truncated, never rounded up into
    /// the next second.
    package func appendISO8601(to bytes: inout [UInt8], includingMilliseconds: Bool = true) {
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
        if includingMilliseconds {
            bytes.append(UInt8(ascii: "."))
            bytes.appendDecimal(Int64(min(max(nanoseconds, 0), 999_999_999) / 1_000_000), width: 3)
        }
        bytes.append(UInt8(ascii: "Z"))
    }
}
