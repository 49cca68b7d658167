import Logging

/// How much is logged where, and how large the log may grow.
///
/// Every process reads the same environment variables (through `RecSettings`), so the CLI, the
/// FastCGI master and its workers agree on the level and the rotation cap without passing
/// flags around.
public struct LogConfiguration: Sendable, Equatable {
    /// The variable that sets `fileLevel`, for example `debug`.
    public static let levelVariable = "REC_LOG_LEVEL"
    /// The variable that sets `maximumFileBytes`, for example `10485760` or `10M`.
    public static let maximumFileBytesVariable = "REC_LOG_MAX_BYTES"
    /// The variable that sets `backupCount`.
    public static let backupCountVariable = "REC_LOG_BACKUPS"

    /// The level used when `REC_LOG_LEVEL` is not set: `info`.
    public static let defaultFileLevel: Logger.Level = .info
    /// The cap used when `REC_LOG_MAX_BYTES` is not set: 10 MiB.
    public static let defaultMaximumFileBytes = 10 * 1024 * 1024
    /// The number of rotated files kept when `REC_LOG_BACKUPS` is not set: one, `log_file.log.1`.
    public static let defaultBackupCount = 1
    /// The most rotated files that may be kept.
    public static let maximumBackupCount = 100
    /// The longest line, newline included, that a record becomes unless configured otherwise:
    /// 16 KiB. It keeps a runaway message from filling the log while leaving room for detail.
    public static let defaultMaximumLineBytes = 16 * 1024

    /// The least severe level that reaches the log file.
    public var fileLevel: Logger.Level
    /// The least severe level that is also written to standard error. A record below
    /// `fileLevel` reaches neither.
    public var standardErrorLevel: Logger.Level
    /// The size above which the log file is rotated.
    public var maximumFileBytes: Int
    /// How many rotated files (`log_file.log.1`, `.2`, ...) are kept; at least one, so that
    /// rotation always keeps the newest lines.
    public var backupCount: Int
    /// The longest line one record may become; longer ones are truncated with a marker.
    public var maximumLineBytes: Int

    /// A configuration with explicit values; values out of range are clamped.
    public init(
        fileLevel: Logger.Level = defaultFileLevel,
        standardErrorLevel: Logger.Level = .warning,
        maximumFileBytes: Int = defaultMaximumFileBytes,
        backupCount: Int = defaultBackupCount,
        maximumLineBytes: Int = defaultMaximumLineBytes
    ) {
        self.fileLevel = fileLevel
        self.standardErrorLevel = standardErrorLevel
        self.maximumFileBytes = max(maximumFileBytes, 1)
        self.backupCount = min(max(backupCount, 1), Self.maximumBackupCount)
        self.maximumLineBytes = maximumLineBytes
    }

    /// The configuration that `REC_LOG_LEVEL`, `REC_LOG_MAX_BYTES` and `REC_LOG_BACKUPS`
    /// describe, with `standardErrorLevel` at `.warning`; part of `RecSettings`.
    ///
    /// - Throws: `SettingsError` for the first value that cannot be used.
    init(reading settings: SettingReader) throws(SettingsError) {
        self.init(
            fileLevel: try settings.logLevel(Self.levelVariable, default: Self.defaultFileLevel),
            maximumFileBytes: try settings.byteCount(Self.maximumFileBytesVariable, default: Self.defaultMaximumFileBytes),
            backupCount: try settings.wholeNumber(
                Self.backupCountVariable, default: Self.defaultBackupCount, range: 1...Self.maximumBackupCount))
    }

    /// The level a user means by `text`: any case, surrounding spaces ignored, and `warn` for
    /// `warning`. Nil when it names no level.
    public static func level(named text: String) -> Logger.Level? {
        let name = text.trimmingSpaces.lowercased()
        return name == "warn" ? .warning : Logger.Level(rawValue: name)
    }

    /// The number of bytes `text` stands for: digits with an optional binary suffix `K`, `M`
    /// or `G` (also written `KB`, `KiB`, ...), any case. Nil when it is not such a number or
    /// does not fit in an `Int`.
    public static func byteCount(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        let multipliers: [String: Int] = [
            "": 1, "b": 1,
            "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
            "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
            "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
        ]
        let suffix = trimmed.dropFirst(digits.count).trimmingSpaces.lowercased()
        guard let multiplier = multipliers[suffix] else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
