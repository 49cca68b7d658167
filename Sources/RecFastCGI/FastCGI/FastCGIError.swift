/// A libfcgi call that failed: which one, and the error it reported.
///
/// libfcgi reports an OS failure as a positive `errno` and its own as negative codes
/// (`FCGX_PROTOCOL_ERROR` is -3, `FCGX_PARAMS_ERROR` -4, `FCGX_CALL_SEQ_ERROR` -5).
public struct FastCGIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed.
    public enum Code: String, Sendable, Equatable {
        /// `FCGX_Init` failed, so the worker cannot serve at all.
        case initializationFailed = "initialization_failed"
        /// The web server closed the connection or sent garbage before the request's parameters
        /// were complete; there is no request to answer.
        case requestNotReceived = "request_not_received"
        /// Reading the request body failed.
        case readFailed = "read_failed"
        /// Writing the response failed, typically because nginx gave up on the request.
        case writeFailed = "write_failed"
    }

    /// The kind of failure.
    public var code: Code
    /// The libfcgi function, for example `FCGX_GetStr`.
    public var call: String
    /// libfcgi's error: an `errno` when positive, one of its own codes when negative.
    public var errorNumber: Int32

    /// Creates an error for `call`.
    public init(_ code: Code, call: String, errorNumber: Int32) {
        self.code = code
        self.call = call
        self.errorNumber = errorNumber
    }

    /// `FCGX_GetStr: read_failed (error 104)`.
    public var description: String {
        "\(call): \(code.rawValue) (error \(errorNumber))"
    }
}
