#if canImport(Glibc)
import Glibc
#endif
import RecCore

/// Turns an `APIResponse` into the CGI response a FastCGI responder writes: a `Status:` line,
/// `Content-Type`, the extra headers, `Content-Length`, a blank line and the body.
///
/// The head is built into one reused buffer and, for bodies up to `inlineBodyLimit`, the body is
/// copied after it, so an ordinary response is a single `FCGX_PutStr`; a large body (a log
/// download) follows as a second call instead of being copied.
public enum FastCGIResponseEncoder {
    /// Bodies up to this size are copied after the head and written with it in one call.
    public static let inlineBodyLimit = 16 * 1024

    /// Appends the head of `response` to `head`: `Status: 200 OK\r\nContent-Type: ...\r\n...\r\n\r\n`.
    ///
    /// A status outside 100...999 is sent as 500. Extra headers named `Status`, `Content-Type` or
    /// `Content-Length` are left out, since this head sets them from the response itself. CR, LF
    /// and NUL in names or values become spaces, so nothing a handler puts in a header can split
    /// the head; a colon in a name does too.
    public static func appendHead(of response: APIResponse, to head: inout [UInt8], contentLength: Int? = nil) {
        let status = (100...999).contains(response.status) ? response.status : 500
        head.append(contentsOf: "Status: ".utf8)
        head.appendDecimal(Int64(status))
        head.append(UInt8(ascii: " "))
        let phrase = HTTPStatusReason.phrase(for: status)
        head.append(contentsOf: UnsafeBufferPointer(start: phrase.utf8Start, count: phrase.utf8CodeUnitCount))
        head.append(contentsOf: "\r\nContent-Type: ".utf8)
        appendSanitized(response.contentType, to: &head, isName: false)
        for field in response.headers where !isReserved(field.name) {
            head.append(contentsOf: "\r\n".utf8)
            appendSanitized(field.name, to: &head, isName: true)
            head.append(contentsOf: ": ".utf8)
            appendSanitized(field.value, to: &head, isName: false)
        }
        head.append(contentsOf: "\r\nContent-Length: ".utf8)
        head.appendDecimal(Int64(contentLength ?? response.body.count))
        head.append(contentsOf: "\r\n\r\n".utf8)
    }

    /// Writes `response` to `exchange`, building the head in `scratch` (emptied first, capacity kept).
    @inline(__always)
    public static func write(_ response: APIResponse, to exchange: inout some FastCGIExchange, scratch: inout [UInt8]) throws(FastCGIError)
    {
        if let path = response.bodyFilePath {
            return try writeFile(response, path: path, to: &exchange, scratch: &scratch)
        }
        scratch.removeAll(keepingCapacity: true)
        appendHead(of: response, to: &scratch)
        let inline = response.body.count <= inlineBodyLimit
        if inline { scratch.append(contentsOf: response.body) }
        var failure: FastCGIError?
        scratch.withUnsafeBytes { bytes in
            do throws(FastCGIError) { try exchange.writeOutput(bytes) } catch { failure = error }
        }
        if failure == nil && !inline {
            response.body.withUnsafeBytes { bytes in
                do throws(FastCGIError) { try exchange.writeOutput(bytes) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// The block size a file body is streamed in.
    static let fileBlockBytes = 64 * 1024

    /// Writes a response whose body is the file at `path` (a log download), streamed in blocks
    /// so the file is never held in memory whole. Only the bytes present when the file was
    /// opened are sent, so a log that grows meanwhile still matches `Content-Length`; a file
    /// that cannot be opened goes out as an empty body.
    private static func writeFile(
        _ response: APIResponse, path: String, to exchange: inout some FastCGIExchange,
        scratch: inout [UInt8]
    ) throws(FastCGIError) {
        let descriptor = try? SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC)
        defer { if let descriptor { SystemCalls.close(descriptor) } }
        let size = descriptor.flatMap { try? SystemCalls.fileStatus($0, subject: path).size } ?? 0
        scratch.removeAll(keepingCapacity: true)
        appendHead(of: response, to: &scratch, contentLength: size)
        var failure: FastCGIError?
        scratch.withUnsafeBytes { bytes in
            do throws(FastCGIError) { try exchange.writeOutput(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
        guard let descriptor, size > 0 else { return }
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: fileBlockBytes, alignment: 16)
        defer { block.deallocate() }
        var sent = 0
        while sent < size {
            let wanted = min(fileBlockBytes, size - sent)
            let count =
                (try? SystemCalls.pread(
                    descriptor, into: UnsafeMutableRawBufferPointer(rebasing: block[0..<wanted]),
                    offset: sent, subject: path)) ?? 0
            // A file cut short under us (rotated) is padded with newlines to keep the declared length.
            if count <= 0 { block.initializeMemory(as: UInt8.self, repeating: 10) }
            let chunk = count > 0 ? count : wanted
            try exchange.writeOutput(UnsafeRawBufferPointer(rebasing: block[0..<chunk]))
            sent += chunk
        }
    }

    /// Whether `name` is a header this encoder writes itself (compared without regard to case).
    private static func isReserved(_ name: String) -> Bool {
        switch name.lowercased() {
        case "status", "content-type", "content-length": return true
        default: return false
        }
    }

    /// Appends `text` with CR, LF and NUL (and, in a name, `:`) replaced by spaces.
    private static func appendSanitized(_ text: String, to head: inout [UInt8], isName: Bool) {
        for byte in text.utf8 {
            switch byte {
            case 0x0D, 0x0A, 0x00: head.append(0x20)
            case UInt8(ascii: ":") where isName: head.append(0x20)
            default: head.append(byte)
            }
        }
    }
}
