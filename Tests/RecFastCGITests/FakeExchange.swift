import RecFastCGI

/// A `FastCGIExchange` over arrays: the parameters and body a test chooses, and everything
/// written, so the request path can be tested without libfcgi or sockets.
struct FakeExchange: FastCGIExchange {
    /// The `NAME=value` parameters.
    var parameters: [String]
    /// The body bytes still to be read.
    var body: [UInt8]
    /// The most bytes one read returns, to exercise short reads.
    var readChunk = Int.max
    /// An error every read throws.
    var readFailure: FastCGIError?
    /// How many body bytes were handed out.
    var bytesRead = 0
    /// How many times `readBody` was called.
    var readCalls = 0
    /// An error every write throws.
    var writeFailure: FastCGIError?
    /// Each `writeOutput` call's bytes.
    var writes: [[UInt8]] = []

    init(parameters: [String], body: [UInt8] = []) {
        self.parameters = parameters
        self.body = body
    }

    /// Everything written, as text.
    var output: String { String(decoding: writes.joined(), as: UTF8.self) }

    func forEachParameter(_ visit: (UnsafeBufferPointer<UInt8>) -> Void) {
        for parameter in parameters {
            var text = parameter
            text.withUTF8 { visit($0) }
        }
    }

    mutating func readBody(into buffer: UnsafeMutableRawBufferPointer) throws(FastCGIError) -> Int {
        readCalls += 1
        if let readFailure { throw readFailure }
        let count = min(buffer.count, body.count, readChunk)
        guard count > 0 else { return 0 }
        buffer.copyBytes(from: body[0..<count])
        body.removeFirst(count)
        bytesRead += count
        return count
    }

    mutating func writeOutput(_ bytes: UnsafeRawBufferPointer) throws(FastCGIError) {
        if let writeFailure { throw writeFailure }
        writes.append(Array(bytes))
    }
}
