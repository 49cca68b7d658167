import RecCore

/// Serves one received FastCGI request: copies its parameters and body into an `APIRequest`,
/// asks the handler, and writes the response.
///
/// The body limit is enforced here, before the handler sees anything: a declared length over the
/// limit is answered with 413 without reading the body. Buffers for the response head and for
/// bodies of undeclared length are kept from request to request.
public final class RequestResponder {
    /// The request handler.
    private let handler: APIRequestHandler
    /// The largest body accepted.
    public let bodyLimit: Int
    /// The response head, rebuilt in place for each request.
    private var headScratch: [UInt8] = []
    /// Where bodies of undeclared length are read through.
    private let bodyScratch: UnsafeMutableRawBufferPointer

    /// A responder that sends requests to `handler` and refuses bodies over `bodyLimit` bytes.
    public init(handler: @escaping APIRequestHandler, bodyLimit: Int = ServingConfiguration.requestBodyLimit) {
        self.handler = handler
        self.bodyLimit = bodyLimit
        headScratch.reserveCapacity(FastCGIResponseEncoder.inlineBodyLimit + 512)
        bodyScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 * 1024, alignment: 16)
    }

    deinit {
        bodyScratch.deallocate()
    }

    /// The longest excerpt of a 5xx body kept as the log's `cause`.
    static let causeExcerptBytes = 512

    /// Serves the request on `exchange`.
    @inline(__always)
    public func respond(to exchange: inout some FastCGIExchange) -> ServedRequest {
        let parameters = FastCGIParameters(of: exchange)
        let response: APIResponse
        var cause: String?
        var inputConsumed = false
        switch RequestBodyReader.read(from: &exchange, declared: parameters.contentLength, limit: bodyLimit, scratch: bodyScratch) {
        case .body(let body):
            inputConsumed = parameters.contentLength == .absent || isAtEndOfInput(&exchange)
            response = handler(parameters.request(body: body))
            if response.status >= 500 {
                cause = response.failure ?? String(decoding: response.body.prefix(Self.causeExcerptBytes), as: UTF8.self)
            }
        case .tooLarge:
            response = APIError(.bodyTooLarge, "The request body is larger than \(bodyLimit / 1024) KiB.").response(
                requestID: parameters.requestID)
        case .invalidLength:
            response = APIError(.invalidParameter, "CONTENT_LENGTH is not a byte count.").response(requestID: parameters.requestID)
        case .truncated(let expected, let received):
            response = APIError(.malformedJSON, "The request body ended after \(received) of \(expected) bytes.")
                .response(requestID: parameters.requestID)
        case .failed(let error):
            return served(parameters, status: nil, cause: "cannot read the request body: \(error)")
        }
        do throws(FastCGIError) {
            try FastCGIResponseEncoder.write(response, to: &exchange, scratch: &headScratch)
        } catch {
            return served(parameters, status: nil, cause: "cannot write the \(response.status) response: \(error)")
        }
        return served(parameters, status: response.status, cause: cause, inputConsumed: inputConsumed)
    }

    /// Whether the input stream is at its end: after a body of declared length, the end-of-stream
    /// record may still be unread, and reading it (from libfcgi's buffer, as a rule) is what
    /// lets the connection close without a lingering wait. Extra bytes past the declared length
    /// leave it unconsumed.
    @inline(__always)
    private func isAtEndOfInput(_ exchange: inout some FastCGIExchange) -> Bool {
        let count = try? exchange.readBody(into: UnsafeMutableRawBufferPointer(rebasing: bodyScratch[0..<1]))
        return count == 0
    }

    @inline(__always)
    private func served(_ parameters: FastCGIParameters, status: Int?, cause: String?, inputConsumed: Bool = false) -> ServedRequest {
        let path = parameters.path.isEmpty ? parameters.request(body: []).path : parameters.path
        return ServedRequest(
            method: parameters.method, path: path, requestID: parameters.requestID, status: status,
            cause: cause, inputConsumed: inputConsumed)
    }
}
