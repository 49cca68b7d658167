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
    /// The response body.
    public var body: [UInt8]

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
    public init(status: Int, contentType: String = "application/json", headers: [HeaderField] = [], body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }
}
