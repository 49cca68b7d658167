import RecFastCGI
import Testing

struct RequestBodyReaderTests {
    private func read(_ exchange: inout FakeExchange, declared: DeclaredContentLength, limit: Int = 64 * 1024) -> RequestBodyReader.Outcome
    {
        withUnsafeTemporaryAllocation(byteCount: 8 * 1024, alignment: 16) { scratch in
            RequestBodyReader.read(from: &exchange, declared: declared, limit: limit, scratch: scratch)
        }
    }

    @Test func readsADeclaredBodyThroughShortReads() {
        let body = (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }
        var exchange = FakeExchange(parameters: [], body: body)
        exchange.readChunk = 700
        #expect(read(&exchange, declared: .bytes(5_000)) == .body(body))
    }

    @Test func refusesAnOversizedDeclaredBodyWithoutReadingIt() {
        var exchange = FakeExchange(parameters: [], body: Array(repeating: 1, count: 70_000))
        #expect(read(&exchange, declared: .bytes(70_000)) == .tooLarge)
        #expect(read(&exchange, declared: .bytes(Int.max)) == .tooLarge)
        #expect(exchange.readCalls == 0)
    }

    @Test func bodyAtTheLimitIsAccepted() {
        var exchange = FakeExchange(parameters: [], body: Array(repeating: 7, count: 64 * 1024))
        #expect(read(&exchange, declared: .bytes(64 * 1024)) == .body(Array(repeating: 7, count: 64 * 1024)))
    }

    @Test func undeclaredLengthReadsToTheEndButStopsJustPastTheLimit() {
        var small = FakeExchange(parameters: [], body: Array("hello".utf8))
        #expect(read(&small, declared: .absent) == .body(Array("hello".utf8)))
        var empty = FakeExchange(parameters: [])
        #expect(read(&empty, declared: .absent) == .body([]))
        var large = FakeExchange(parameters: [], body: Array(repeating: 2, count: 1_000_000))
        #expect(read(&large, declared: .absent, limit: 20_000) == .tooLarge)
        #expect(large.bytesRead == 20_001)
    }

    @Test func zeroLengthReadsNothing() {
        var exchange = FakeExchange(parameters: [], body: Array("junk".utf8))
        #expect(read(&exchange, declared: .bytes(0)) == .body([]))
        #expect(exchange.readCalls == 0)
    }

    @Test func reportsATruncatedBodyAnInvalidLengthAndAFailingStream() {
        var short = FakeExchange(parameters: [], body: Array("abc".utf8))
        #expect(read(&short, declared: .bytes(10)) == .truncated(expected: 10, received: 3))
        var any = FakeExchange(parameters: [])
        #expect(read(&any, declared: .invalid) == .invalidLength)
        var broken = FakeExchange(parameters: [], body: Array("abc".utf8))
        let failure = FastCGIError(.readFailed, call: "FCGX_GetStr", errorNumber: 104)
        broken.readFailure = failure
        #expect(read(&broken, declared: .bytes(3)) == .failed(failure))
        #expect(read(&broken, declared: .absent) == .failed(failure))
    }
}
