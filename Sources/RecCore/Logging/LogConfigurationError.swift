/// An environment setting for the log that could not be used, so its default applies instead.
///
/// A typo in `REC_LOG_LEVEL` must not keep a server from starting; the setting is ignored and
/// the error is reported on standard error and in the log, naming the variable and the value.
public struct LogConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of setting was wrong, for callers and tests that branch on it.
    public enum Code: String, Sendable, Equatable {
        /// The value is not a log level name.
        case invalidLevel = "invalid_level"
        /// The value is not a positive byte count.
        case invalidByteCount = "invalid_byte_count"
        /// The value is not a whole number of backups in the allowed range.
        case invalidBackupCount = "invalid_backup_count"
    }

    /// The kind of problem.
    public var code: Code
    /// The environment variable, for example `REC_LOG_LEVEL`.
    public var variable: String
    /// The value it had.
    public var value: String
    /// A human sentence saying what is accepted and what is used instead.
    public var reason: String

    /// Creates an error for `variable` set to `value`.
    public init(_ code: Code, variable: String, value: String, reason: String) {
        self.code = code
        self.variable = variable
        self.value = value
        self.reason = reason
    }

    /// `REC_LOG_LEVEL="loud": not a log level ...`.
    public var description: String {
        "\(variable)=\"\(value)\": \(reason)"
    }
}
