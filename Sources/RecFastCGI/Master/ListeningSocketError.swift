import RecCore

/// The listening socket could not be set up.
public struct ListeningSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// Another server already accepts connections on the unix socket.
        case inUse = "in_use"
        /// The unix socket path exists and is not a socket, so it is not removed.
        case notASocket = "not_a_socket"
        /// The TCP host name does not resolve.
        case unresolvableHost = "unresolvable_host"
        /// A system call failed; `systemCallError` says which.
        case systemCallFailed = "system_call_failed"
    }

    /// The kind of failure.
    public var code: Code
    /// The address, as `REC_LISTEN` spells it.
    public var address: String
    /// A human sentence.
    public var reason: String
    /// The failed call, for `systemCallFailed`.
    public var systemCallError: SystemCallError?

    /// Creates an error.
    public init(_ code: Code, address: String, reason: String, systemCallError: SystemCallError? = nil) {
        self.code = code
        self.address = address
        self.reason = reason
        self.systemCallError = systemCallError
    }

    /// `cannot listen on unix:/x.sock: another server is listening there`.
    public var description: String {
        "cannot listen on \(address): \(reason)"
    }
}
