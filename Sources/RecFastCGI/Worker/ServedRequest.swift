/// What became of one request, for the request log.
public struct ServedRequest: Sendable, Equatable {
    /// The HTTP method.
    public var method: String
    /// The path.
    public var path: String
    /// nginx's request id.
    public var requestID: String
    /// The status sent, or nil when no response could be sent (the stream broke).
    public var status: Int?
    /// Why the request failed, for 5xx answers and broken streams; nil otherwise.
    public var cause: String?
    /// Whether the request's input stream was read to its end, so the connection can be closed
    /// without libfcgi's lingering wait.
    public var inputConsumed: Bool

    /// Creates a record.
    public init(method: String, path: String, requestID: String, status: Int?, cause: String? = nil, inputConsumed: Bool = false) {
        self.method = method
        self.path = path
        self.requestID = requestID
        self.status = status
        self.cause = cause
        self.inputConsumed = inputConsumed
    }
}
