import RecCore

/// The FastCGI parameters the API needs, picked out of one pass over nginx's `NAME=value` list.
///
/// libfcgi frees the parameters at the next request, so the values are copied into `String`s at
/// once. Looking each name up with `FCGX_GetParam` would scan the whole list once per name; here
/// each entry is looked at once and compared only against names of the same length.
///
/// | parameter | field |
/// |---|---|
/// | `REQUEST_METHOD` | `method` |
/// | `DOCUMENT_URI` (else `REQUEST_URI` up to `?`) | `path` |
/// | `QUERY_STRING` | `query` |
/// | `CONTENT_LENGTH` | `contentLength` |
/// | `REQUEST_ID` (else `HTTP_X_REQUEST_ID`) | `requestID` |
/// | `HTTP_AUTHORIZATION` | `authorization` |
public struct FastCGIParameters: Sendable, Equatable {
    /// The HTTP method; empty when nginx sent none.
    public var method = ""
    /// The decoded path, `DOCUMENT_URI`; empty when neither it nor `REQUEST_URI` came.
    public var path = ""
    /// The raw query string without `?`.
    public var query = ""
    /// What `CONTENT_LENGTH` says.
    public var contentLength = DeclaredContentLength.absent
    /// nginx's `$request_id`, passed as `REQUEST_ID`, or the client's `X-Request-Id`.
    public var requestID = ""
    /// The `Authorization` header, if any.
    public var authorization: String?

    /// `REQUEST_URI`'s path, used only when `DOCUMENT_URI` is missing.
    private var requestURIPath: String?
    /// Whether `REQUEST_ID` came, which wins over the client's `X-Request-Id` header.
    private var hasServerRequestID = false

    /// An empty set, to which `add(entry:)` adds parameters.
    public init() {}

    /// The parameters of `exchange`.
    @inline(__always)
    public init(of exchange: some FastCGIExchange) {
        self.init()
        exchange.forEachParameter { add(entry: $0) }
    }

    /// Takes one `NAME=value` entry; entries without `=` and names the API does not use are skipped.
    public mutating func add(entry: UnsafeBufferPointer<UInt8>) {
        guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { return }
        let name = UnsafeBufferPointer(rebasing: entry[..<equals])
        let value = UnsafeBufferPointer(rebasing: entry[(equals + 1)...])
        switch name.count {
        case 11:
            if Self.matches(name, "REQUEST_URI") { requestURIPath = Self.text(Self.pathPart(of: value)) }
        case 10:
            if Self.matches(name, "REQUEST_ID") {
                requestID = Self.text(value)
                hasServerRequestID = !value.isEmpty
            }
        case 12:
            if Self.matches(name, "DOCUMENT_URI") {
                path = Self.text(value)
            } else if Self.matches(name, "QUERY_STRING") {
                query = Self.text(value)
            }
        case 14:
            if Self.matches(name, "REQUEST_METHOD") {
                method = Self.text(value)
            } else if Self.matches(name, "CONTENT_LENGTH") {
                contentLength = DeclaredContentLength(parsing: value)
            }
        case 17:
            if Self.matches(name, "HTTP_X_REQUEST_ID"), !hasServerRequestID { requestID = Self.text(value) }
        case 18:
            // nginx sends the parameter empty when the client sent no header: that is no header.
            if Self.matches(name, "HTTP_AUTHORIZATION") { authorization = value.isEmpty ? nil : Self.text(value) }
        default:
            break
        }
    }

    /// The request these parameters and `body` describe. The path falls back to `REQUEST_URI`'s,
    /// then to `/`.
    public func request(body: [UInt8]) -> APIRequest {
        let resolvedPath = !path.isEmpty ? path : (requestURIPath.flatMap { $0.isEmpty ? nil : $0 } ?? "/")
        return APIRequest(
            method: method, path: resolvedPath, query: query, body: body,
            requestID: requestID, authorization: authorization)
    }

    /// The part of a request URI before `?`.
    private static func pathPart(of value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let question = value.firstIndex(of: UInt8(ascii: "?")) else { return value }
        return UnsafeBufferPointer(rebasing: value[..<question])
    }

    /// The value as text; bytes that are not UTF-8 become U+FFFD.
    @inline(__always)
    private static func text(_ value: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: value, as: UTF8.self)
    }

    /// Whether `name` is exactly `expected` (an ASCII literal of the same length).
    @inline(__always)
    private static func matches(_ name: UnsafeBufferPointer<UInt8>, _ expected: StaticString) -> Bool {
        guard name.count == expected.utf8CodeUnitCount else { return false }
        let expectedBytes = UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)
        for index in 0..<name.count where name[index] != expectedBytes[index] { return false }
        return true
    }
}
