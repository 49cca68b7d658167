/// How a child process ended: its exit status and what it wrote to standard error.
public struct ProcessResult: Sendable, Equatable {
    /// The exit status; 127 when the program could not be started at all.
    public var exitStatus: Int32
    /// Its standard error, decoded as UTF-8 (the tail is enough for a log line).
    public var standardError: String

    /// A result with `exitStatus` and `standardError`.
    public init(exitStatus: Int32, standardError: String = "") {
        self.exitStatus = exitStatus
        self.standardError = standardError
    }
}
