import RecCore
import RecFastCGI
import Testing

struct FastCGIParametersTests {
    private func parameters(_ entries: [String]) -> FastCGIParameters {
        FastCGIParameters(of: FakeExchange(parameters: entries))
    }

    @Test func copiesWhatTheAPINeedsIntoARequest() {
        let parsed = parameters([
            "FCGI_ROLE=RESPONDER", "REQUEST_METHOD=POST", "DOCUMENT_URI=/api/predict", "REQUEST_URI=/api/predict?top=5",
            "QUERY_STRING=top=5", "CONTENT_LENGTH=12", "REQUEST_ID=abc123", "HTTP_AUTHORIZATION=Bearer s3cret",
            "HTTP_HOST=localhost",
        ])
        #expect(parsed.contentLength == .bytes(12))
        let request = parsed.request(body: Array("[[1],[5]]xyz".utf8))
        #expect(
            request
                == APIRequest(
                    method: "POST", path: "/api/predict", query: "top=5", body: Array("[[1],[5]]xyz".utf8),
                    requestID: "abc123", authorization: "Bearer s3cret"))
    }

    @Test func nginxRequestIDWinsOverTheClientHeaderInEitherOrder() {
        #expect(parameters(["HTTP_X_REQUEST_ID=client", "REQUEST_ID=server"]).requestID == "server")
        #expect(parameters(["REQUEST_ID=server", "HTTP_X_REQUEST_ID=client"]).requestID == "server")
        #expect(parameters(["HTTP_X_REQUEST_ID=client"]).requestID == "client")
        #expect(parameters(["REQUEST_ID=", "HTTP_X_REQUEST_ID=client"]).requestID == "client")
    }

    @Test func pathFallsBackToTheRequestURIWithoutItsQueryThenToSlash() {
        #expect(parameters(["REQUEST_URI=/api/info?x=1"]).request(body: []).path == "/api/info")
        #expect(parameters(["REQUEST_URI=/api/info?x=1", "DOCUMENT_URI=/api/health"]).request(body: []).path == "/api/health")
        #expect(parameters([]).request(body: []).path == "/")
    }

    @Test func missingValuesAreEmptyAndAuthorizationIsNil() {
        let request = parameters(["REQUEST_METHOD=GET"]).request(body: [])
        #expect(request.query == "")
        #expect(request.requestID == "")
        #expect(request.authorization == nil)
        // nginx forwards `$http_authorization` empty when the client sent no header.
        #expect(parameters(["HTTP_AUTHORIZATION="]).request(body: []).authorization == nil)
        #expect(parameters(["REQUEST_METHOD=GET"]).contentLength == .absent)
    }

    @Test func valuesMayContainEqualsSignsAndNamesMustMatchExactly() {
        let parsed = parameters(["QUERY_STRING=a=1&b=2", "REQUEST_METHODX=PUT", "REQUEST_METHO=PUT", "request_method=PUT", "NOEQUALS"])
        #expect(parsed.query == "a=1&b=2")
        #expect(parsed.method == "")
    }

    @Test func invalidUTF8IsRepairedNotFatal() {
        var exchange = FakeExchange(parameters: [])
        exchange.parameters = []
        var parsed = FastCGIParameters()
        let bytes: [UInt8] = Array("DOCUMENT_URI=/api/".utf8) + [0xFF, 0xFE]
        bytes.withUnsafeBufferPointer { parsed.add(entry: $0) }
        #expect(parsed.path == "/api/\u{FFFD}\u{FFFD}")
    }
}
