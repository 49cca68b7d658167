import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP response as the integration tests see it.
struct HTTPResponse: Sendable {
    /// The status code, for example 200.
    var status: Int
    /// Header names in lower case, mapped to their values.
    var headers: [String: String]
    /// The body bytes.
    var body: [UInt8]

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded as JSON.
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
}

/// Why a request could not be completed: the connection failed or the answer was not HTTP.
struct HTTPClientError: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String
}

/// A minimal blocking HTTP/1.1 client over a loopback TCP socket, one connection per request.
///
/// The tests need exact control over methods, bodies and timing (and to count failures under
/// load), without URLSession's retries and connection pooling getting in the way.
struct HTTPClient: Sendable {
    /// The port nginx listens on.
    var port: Int
    /// How long to wait for a whole answer.
    var timeoutSeconds: Int = 15

    /// Sends one request and reads the whole answer.
    func send(_ method: String, _ target: String, body: [UInt8] = [], headers: [String: String] = [:]) throws -> HTTPResponse {
        let descriptor = try connect()
        defer { close(descriptor) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try writeAll(descriptor, Array(head.utf8) + body)

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                // A server that answers early (413) may reset while we still send; keep what came.
                if errno == ECONNRESET && !received.isEmpty { break }
                throw HTTPClientError(description: "recv: errno \(errno)")
            }
            received.append(contentsOf: buffer[0..<count])
        }
        return try Self.parse(received)
    }

    /// A TCP connection to the stack, with this client's timeouts; the caller closes it.
    func connect() throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPClientError(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close(descriptor)
            throw HTTPClientError(description: "connect to port \(port): errno \(error)")
        }
        return descriptor
    }

    /// Sends a JSON body with the JSON content type.
    func sendJSON(_ method: String, _ target: String, _ json: String, headers: [String: String] = [:]) throws -> HTTPResponse {
        var headers = headers
        headers["Content-Type"] = "application/json"
        return try send(method, target, body: Array(json.utf8), headers: headers)
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                // The server may refuse a large body before reading it; its answer is still readable.
                if errno == EPIPE || errno == ECONNRESET { return }
                throw HTTPClientError(description: "send: errno \(errno)")
            }
            sent += count
        }
    }

    /// Parses a complete HTTP/1.1 answer, with a `Content-Length` or chunked body.
    static func parse(_ bytes: [UInt8]) throws -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = bytes.firstRange(of: separator) else {
            throw HTTPClientError(description: "no complete HTTP head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HTTPClientError(description: "bad status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[headEnd.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try dechunk(body) }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var position = 0
        while position < bytes.count {
            guard let lineEnd = bytes[position...].firstRange(of: [13, 10]) else { break }
            let sizeText = String(decoding: bytes[position..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw HTTPClientError(description: "bad chunk size")
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard start + size <= bytes.count else { throw HTTPClientError(description: "truncated chunk") }
            output.append(contentsOf: bytes[start..<(start + size)])
            position = start + size + 2
        }
        return output
    }
}
