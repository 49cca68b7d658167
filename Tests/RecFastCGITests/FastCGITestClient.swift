import Foundation
import Glibc

/// A minimal FastCGI client, playing nginx's part: one request per connection, no keep-alive.
enum FastCGITestClient {
    /// What the responder sent back.
    struct Response {
        /// The CGI head and body as the worker wrote them.
        var standardOutput: [UInt8]
        /// The `Status:` code.
        var status: Int? {
            let text = String(decoding: standardOutput.prefix(32), as: UTF8.self)
            guard text.hasPrefix("Status: ") else { return nil }
            return Int(text.dropFirst(8).prefix(3))
        }
        /// The bytes after the blank line.
        var body: String {
            let text = String(decoding: standardOutput, as: UTF8.self)
            guard let range = text.range(of: "\r\n\r\n") else { return "" }
            return String(text[range.upperBound...])
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A connection to the unix socket at `path`, with a 10 s receive timeout; the caller
    /// closes it.
    static func connect(to path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close(descriptor)
            throw Failure(description: "connect(\(path)): \(error)")
        }
        return descriptor
    }

    /// Sends one request with `parameters` and `body` to the unix socket at `path`.
    static func send(to path: String, parameters: [(String, String)], body: [UInt8] = []) throws -> Response {
        let descriptor = try connect(to: path)
        defer { close(descriptor) }

        var request: [UInt8] = []
        record(type: 1, content: [0, 1, 0, 0, 0, 0, 0, 0], to: &request) // BEGIN_REQUEST, responder, no keep-alive
        var encoded: [UInt8] = []
        for (name, value) in parameters {
            appendLength(name.utf8.count, to: &encoded)
            appendLength(value.utf8.count, to: &encoded)
            encoded += Array(name.utf8) + Array(value.utf8)
        }
        chunks(encoded, type: 4, to: &request)
        record(type: 4, content: [], to: &request)
        chunks(body, type: 5, to: &request)
        record(type: 5, content: [], to: &request)
        try request.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { throw Failure(description: "write: \(errno)") }
                offset += written
            }
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 { throw Failure(description: "read: \(errno)") }
            if count == 0 { break }
            received += buffer[0..<count]
        }
        var output: [UInt8] = []
        var index = 0
        var ended = false
        while index + 8 <= received.count {
            let type = received[index + 1]
            let length = Int(received[index + 4]) << 8 | Int(received[index + 5])
            let padding = Int(received[index + 6])
            let content = received[(index + 8)..<min(index + 8 + length, received.count)]
            if type == 6 { output += content }
            if type == 3 { ended = true }
            index += 8 + length + padding
        }
        guard ended else { throw Failure(description: "no END_REQUEST record in \(received.count) bytes") }
        return Response(standardOutput: output)
    }

    private static func record(type: UInt8, content: [UInt8], to output: inout [UInt8]) {
        output += [1, type, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xFF), 0, 0]
        output += content
    }

    private static func chunks(_ bytes: [UInt8], type: UInt8, to output: inout [UInt8]) {
        var start = 0
        while start < bytes.count {
            let end = min(start + 65_535, bytes.count)
            record(type: type, content: Array(bytes[start..<end]), to: &output)
            start = end
        }
    }

    private static func appendLength(_ length: Int, to output: inout [UInt8]) {
        if length < 128 {
            output.append(UInt8(length))
        } else {
            output += [UInt8((length >> 24) | 0x80), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        }
    }
}
