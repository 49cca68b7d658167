import RecCore
import RecFastCGI
import Testing

struct FastCGIResponseEncoderTests {
    private func head(_ response: APIResponse) -> String {
        var bytes: [UInt8] = []
        FastCGIResponseEncoder.appendHead(of: response, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func writesStatusTypeHeadersLengthAndBlankLine() {
        let response = APIResponse(status: 405, headers: [APIResponse.HeaderField(name: "Allow", value: "GET")], body: Array("{}".utf8))
        #expect(
            head(response) == "Status: 405 Method Not Allowed\r\nContent-Type: application/json\r\nAllow: GET\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func headersItSetsItselfCannotBeOverriddenOrSplit() {
        let response = APIResponse(
            status: 200, contentType: "text/plain\r\nX-Evil: 1",
            headers: [
                APIResponse.HeaderField(name: "content-length", value: "999"),
                APIResponse.HeaderField(name: "STATUS", value: "500"),
                APIResponse.HeaderField(name: "Content-Disposition", value: "attachment\nSet-Cookie: a=b"),
                APIResponse.HeaderField(name: "Bad:Name", value: "v\u{0}"),
            ], body: [])
        #expect(
            head(response) == "Status: 200 OK\r\nContent-Type: text/plain  X-Evil: 1\r\n"
                + "Content-Disposition: attachment Set-Cookie: a=b\r\nBad Name: v \r\nContent-Length: 0\r\n\r\n")
    }

    @Test func statusesOutsideTheRangeBecome500AndUnknownOnesGetAClassPhrase() {
        #expect(head(APIResponse(status: 42, body: [])).hasPrefix("Status: 500 Internal Server Error\r\n"))
        #expect(head(APIResponse(status: 1000, body: [])).hasPrefix("Status: 500 Internal Server Error\r\n"))
        #expect(head(APIResponse(status: 418, body: [])).hasPrefix("Status: 418 Client Error\r\n"))
        #expect(head(APIResponse(status: 503, body: [])).hasPrefix("Status: 503 Service Unavailable\r\n"))
    }

    @Test func smallBodiesGoOutInOneWriteLargeOnesInTwo() throws {
        var scratch: [UInt8] = []
        var small = FakeExchange(parameters: [])
        try FastCGIResponseEncoder.write(APIResponse(status: 200, body: Array(#"{"a":1}"#.utf8)), to: &small, scratch: &scratch)
        #expect(small.writes.count == 1)
        #expect(small.output == "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")

        let bigBody = Array(repeating: UInt8(ascii: "x"), count: FastCGIResponseEncoder.inlineBodyLimit + 1)
        var large = FakeExchange(parameters: [])
        try FastCGIResponseEncoder.write(APIResponse(status: 200, contentType: "text/plain", body: bigBody), to: &large, scratch: &scratch)
        #expect(large.writes.count == 2)
        #expect(large.writes[1] == bigBody)
        #expect(large.output.hasPrefix("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16385\r\n\r\nxxx"))
    }

    @Test func writeFailuresReachTheCaller() {
        var scratch: [UInt8] = []
        var exchange = FakeExchange(parameters: [])
        let failure = FastCGIError(.writeFailed, call: "FCGX_PutStr", errorNumber: 32)
        exchange.writeFailure = failure
        #expect(throws: failure) {
            try FastCGIResponseEncoder.write(APIResponse(status: 200, body: []), to: &exchange, scratch: &scratch)
        }
    }
}
