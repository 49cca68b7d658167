/// A serving setting that cannot be used, found before any socket is opened or worker started.
///
/// Unlike a bad log setting, a bad serving setting stops the master at once with exit code 2:
/// a server listening somewhere other than asked for is worse than one that does not start.
public struct ServingConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of setting was wrong.
    public enum Code: String, Sendable, Equatable {
        /// `REC_LISTEN` is neither `unix:PATH` nor `tcp:HOST:PORT`.
        case invalidListenAddress = "invalid_listen_address"
        /// A count or a number of seconds is not a whole number in its range.
        case invalidNumber = "invalid_number"
        /// A yes/no switch has a value other than `0`, `1`, `true`, `false`, `yes` or `no`.
        case invalidSwitch = "invalid_switch"
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
