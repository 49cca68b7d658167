/// A setting that cannot be used: a `REC_*` environment variable with a malformed value, or a
/// command-line argument of `rec-fcgi` that is unknown or misses its value.
///
/// Every process parses its settings once, at its start (`RecSettings`), and stops with exit
/// code 2 and this error's description at the first bad value, before it opens a socket,
/// writes a log line or touches a model: a server listening somewhere other than asked for,
/// or logging at a level nobody chose, is worse than one that does not start.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of value was wrong, for callers and tests that branch on it.
    public enum Code: String, Sendable, Equatable {
        /// `REC_LISTEN` is neither `unix:PATH` nor `tcp:HOST:PORT`.
        case invalidListenAddress = "invalid_listen_address"
        /// A count or a number of seconds is not a whole number in its range.
        case invalidNumber = "invalid_number"
        /// A yes/no switch has a value other than `0`, `1`, `true`, `false`, `yes`, `no`, `on` or `off`.
        case invalidSwitch = "invalid_switch"
        /// `REC_LOG_LEVEL` names no log level.
        case invalidLevel = "invalid_level"
        /// `REC_LOG_MAX_BYTES` is not a positive byte count.
        case invalidByteCount = "invalid_byte_count"
        /// A command-line argument of `rec-fcgi` is unknown or misses its value.
        case invalidArgument = "invalid_argument"
    }

    /// The kind of problem.
    public var code: Code
    /// The environment variable or argument, for example `REC_WORKERS`.
    public var setting: String
    /// The value it had.
    public var value: String
    /// A human sentence saying what is accepted.
    public var reason: String

    /// Creates an error for `setting` set to `value`.
    public init(_ code: Code, setting: String, value: String, reason: String) {
        self.code = code
        self.setting = setting
        self.value = value
        self.reason = reason
    }

    /// `REC_WORKERS="many": not a whole number from 1 to 256`.
    public var description: String {
        "\(setting)=\"\(value)\": \(reason)"
    }
}
