import RecCore

/// Error responses in the API's one error shape,
/// `{"error": {"code": "...", "message": "...", "request_id": "..."}}`, for the answers the
/// worker gives itself (413, 400 for a broken body, 404 from the built-in routes).
public enum APIErrorResponse {
    /// A JSON error response with `status`, a snake_case `code` and a human `message`.
    public static func make(status: Int, code: String, message: String, requestID: String,
                            headers: [APIResponse.HeaderField] = []) -> APIResponse {
        var body: [UInt8] = []
        body.reserveCapacity(64 + code.utf8.count + message.utf8.count + requestID.utf8.count)
        body.append(contentsOf: #"{"error":{"code":"#.utf8)
        JSONWriter.writeString(code, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        JSONWriter.writeString(message, to: &body)
        body.append(contentsOf: #","request_id":"#.utf8)
        JSONWriter.writeString(requestID, to: &body)
        body.append(contentsOf: "}}".utf8)
        return APIResponse(status: status, headers: headers, body: body)
    }

    /// 413: the body is over the limit.
    public static func bodyTooLarge(limit: Int, requestID: String) -> APIResponse {
        make(status: 413, code: "payload_too_large",
             message: "The request body is larger than \(limit / 1024) KiB.", requestID: requestID)
    }

    /// 400: `CONTENT_LENGTH` is not a length, or the body ended before it.
    public static func malformedBody(_ message: String, requestID: String) -> APIResponse {
        make(status: 400, code: "bad_request", message: message, requestID: requestID)
    }
}
