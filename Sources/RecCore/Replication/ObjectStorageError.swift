/// A transfer to or from object storage that did not happen.
///
/// The message never holds a credential: the tool's output is passed through `SecretRedaction`
/// before it is kept.
public struct ObjectStorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the transfer failed.
    public enum Code: String, Sendable, Equatable {
        /// The object (or the bucket) does not exist.
        case notFound = "not_found"
        /// The storage refused the credentials or the request.
        case accessDenied = "access_denied"
        /// The storage could not be reached, or the transfer failed part way.
        case unavailable
        /// The object storage tool is not installed or could not be started.
        case toolMissing = "tool_missing"
    }

    /// Why the transfer failed.
    public var code: Code
    /// A sentence for the log: what was transferred and what the tool said.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String { "\(code.rawValue): \(message)" }
}
