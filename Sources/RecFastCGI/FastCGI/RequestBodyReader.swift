/// Reads a request body from a FastCGI exchange, never more than the limit allows.
///
/// A body larger than the limit is refused from its declared length alone, without reading any
/// of it; without a declared length, reading stops one byte past the limit.
public enum RequestBodyReader {
    /// What reading the body came to.
    public enum Outcome: Sendable, Equatable {
        /// The whole body.
        case body([UInt8])
        /// More than the limit: answer 413.
        case tooLarge
        /// `CONTENT_LENGTH` was not a length: answer 400.
        case invalidLength
        /// The stream ended before the declared length: answer 400.
        case truncated(expected: Int, received: Int)
        /// The stream failed; there is nobody left to answer.
        case failed(FastCGIError)
    }

    /// Reads the body `declared` announces from `exchange`, allowing at most `limit` bytes.
    ///
    /// `scratch` is the caller's reusable buffer for bodies of undeclared length, so a request
    /// without a body allocates nothing.
    public static func read(
        from exchange: inout some FastCGIExchange, declared: DeclaredContentLength, limit: Int,
        scratch: UnsafeMutableRawBufferPointer
    ) -> Outcome {
        switch declared {
        case .invalid:
            return .invalidLength
        case .bytes(let length) where length > limit:
            return .tooLarge
        case .bytes(0):
            return .body([])
        case .bytes(let length):
            return readExactly(length, from: &exchange)
        case .absent:
            return readToEnd(from: &exchange, limit: limit, scratch: scratch)
        }
    }

    /// Reads `length` bytes straight into the body's own storage.
    private static func readExactly(_ length: Int, from exchange: inout some FastCGIExchange) -> Outcome {
        var failure: FastCGIError?
        var received = 0
        let body = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            while received < length {
                let count: Int
                do throws(FastCGIError) {
                    count = try exchange.readBody(into: UnsafeMutableRawBufferPointer(rebasing: raw[received..<length]))
                } catch {
                    failure = error
                    break
                }
                if count == 0 { break }
                received += count
            }
            initialized = received
        }
        if let failure { return .failed(failure) }
        if received < length { return .truncated(expected: length, received: received) }
        return .body(body)
    }

    /// Reads until the stream ends, through `scratch`, refusing once more than `limit` bytes have come.
    private static func readToEnd(from exchange: inout some FastCGIExchange, limit: Int, scratch: UnsafeMutableRawBufferPointer) -> Outcome
    {
        var body: [UInt8] = []
        while true {
            let room = min(scratch.count, limit + 1 - body.count)
            let count: Int
            do throws(FastCGIError) {
                count = try exchange.readBody(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<room]))
            } catch {
                return .failed(error)
            }
            if count == 0 { return .body(body) }
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            if body.count > limit { return .tooLarge }
        }
    }
}
