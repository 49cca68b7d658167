#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which call, on what, and the `errno` it returned.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name of the call, for example `fsync`.
    public var call: String
    /// The path or descriptor the call was about, when there is one.
    public var subject: String
    /// The `errno` value.
    public var errorNumber: Int32

    /// Creates an error for `call` on `subject` that failed with `errorNumber`.
    public init(call: String, subject: String = "", errorNumber: Int32) {
        self.call = call
        self.subject = subject
        self.errorNumber = errorNumber
    }

    /// The C library's text for the error number, for example `No such file or directory`.
    public var reason: String { String(cString: strerror(errorNumber)) }

    /// `fsync(data/model/model-3.tmp): No space left on device`.
    public var description: String {
        subject.isEmpty ? "\(call): \(reason)" : "\(call)(\(subject)): \(reason)"
    }
}
