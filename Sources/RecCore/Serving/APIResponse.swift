/// One HTTP response from the API: status, content type, extra headers and body bytes.
///
/// The worker writes it out as a FastCGI response as is; nothing in it depends on sockets.
public struct APIResponse: Sendable, Equatable {
    /// The HTTP status code, for example 200 or 422.
    public var status: Int
    /// The `Content-Type` header, `application/json` for every API answer except log downloads.
    public var contentType: String
    /// Further headers as (name, value) pairs, for example `Content-Disposition` or `Allow`.
    public var headers: [HeaderField]
    /// The response body. Empty when `bodyFilePath` is set.
    public var body: [UInt8]
    /// When set, the body is the contents of this file, which the worker streams after the
    /// headers instead of `body` (used by `GET /api/log/download`, so the log is never copied
    /// into memory). A file that has disappeared by then is sent as an empty body.
    public var bodyFilePath: String?
    /// Why a 5xx answer happened, for the worker's log line next to the request id; never
    /// sent to the client. `nil` for every other answer.
    public var failure: String?

    /// One extra response header.
    public struct HeaderField: Sendable, Equatable {
        /// The header name, for example `Allow`.
        public var name: String
        /// The header value.
        public var value: String

        /// Creates a header field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a response.
    public init(
        status: Int, contentType: String = "application/json", headers: [HeaderField] = [], body: [UInt8],
        bodyFilePath: String? = nil, failure: String? = nil
    ) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
        self.bodyFilePath = bodyFilePath
        self.failure = failure
    }

    /// The value of the first header named `name` (compared without regard to case), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
