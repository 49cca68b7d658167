/// One HTTP request as the API sees it, copied out of the FastCGI parameters and body.
///
/// A plain value, so the router is a pure function from `APIRequest` to `APIResponse` that
/// tests call without sockets, and the worker can reuse the libfcgi buffers right away.
public struct APIRequest: Sendable, Equatable {
    /// The HTTP method in upper case, for example `GET` or `POST` (`REQUEST_METHOD`).
    public var method: String
    /// The path without the query string, for example `/api/predict` (`DOCUMENT_URI`).
    public var path: String
    /// The raw query string without the `?`, percent-encoded as received (`QUERY_STRING`).
    public var query: String
    /// The request body as received.
    public var body: [UInt8]
    /// The request id nginx assigned (`$request_id`), echoed in errors and logs; empty if none.
    public var requestID: String
    /// The `Authorization` header, if the client sent one.
    public var authorization: String?

    /// Creates a request.
    public init(
        method: String, path: String, query: String = "", body: [UInt8] = [],
        requestID: String = "", authorization: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.requestID = requestID
        self.authorization = authorization
    }
}
