import RecCore
import RecFastCGI
import Testing

struct RequestResponderTests {
    /// Stands in for the API router behind the built-in route.
    private static func apiNotFound(_ request: APIRequest) -> APIResponse {
        APIError(.notFound, "There is no endpoint \(request.method) \(request.path).").response(requestID: request.requestID)
    }
    private let getHello = ["REQUEST_METHOD=GET", "DOCUMENT_URI=/bench/hello", "CONTENT_LENGTH=", "REQUEST_ID=r1"]

    @Test func helloRouteAnswersOnlyWhenEnabled() {
        let enabled = RequestResponder(handler: BuiltInRoutes.handler(helloRouteEnabled: true, next: Self.apiNotFound))
        var exchange = FakeExchange(parameters: getHello)
        let served = enabled.respond(to: &exchange)
        #expect(served == ServedRequest(method: "GET", path: "/bench/hello", requestID: "r1", status: 200, inputConsumed: true))
        #expect(exchange.output.hasSuffix("\r\n\r\n{\"hello\":\"world\"}"))

        let disabled = RequestResponder(handler: BuiltInRoutes.handler(helloRouteEnabled: false, next: Self.apiNotFound))
        var other = FakeExchange(parameters: getHello)
        #expect(disabled.respond(to: &other).status == 404)
        #expect(
            other.output.hasSuffix(#"{"error":{"code":"not_found","message":"There is no endpoint GET /bench/hello.","request_id":"r1"}}"#))
    }

    @Test func helloRouteRefusesOtherMethods() {
        let responder = RequestResponder(handler: BuiltInRoutes.handler(helloRouteEnabled: true, next: Self.apiNotFound))
        var exchange = FakeExchange(parameters: ["REQUEST_METHOD=DELETE", "DOCUMENT_URI=/bench/hello"])
        #expect(responder.respond(to: &exchange).status == 405)
        #expect(exchange.output.contains("\r\nAllow: GET, HEAD\r\n"))
    }

    @Test func handlerGetsParametersAndBodyAndTheDeclaredBodyIsReadToItsEnd() {
        var seen: APIRequest?
        let responder = RequestResponder(handler: { request in
            seen = request
            return APIResponse(status: 201, body: [])
        })
        var exchange = FakeExchange(
            parameters: [
                "REQUEST_METHOD=POST", "DOCUMENT_URI=/api/predict", "CONTENT_LENGTH=4",
                "QUERY_STRING=top=3", "HTTP_AUTHORIZATION=Bearer t",
            ], body: Array("[[]]".utf8))
        let served = responder.respond(to: &exchange)
        #expect(
            seen == APIRequest(method: "POST", path: "/api/predict", query: "top=3", body: Array("[[]]".utf8), authorization: "Bearer t"))
        #expect(served.status == 201)
        #expect(served.inputConsumed)
    }

    @Test func bytesBeyondTheDeclaredLengthKeepTheLingeringClose() {
        let responder = RequestResponder(handler: { _ in APIResponse(status: 200, body: []) })
        var exchange = FakeExchange(parameters: ["REQUEST_METHOD=POST", "CONTENT_LENGTH=2"], body: Array("abcd".utf8))
        let served = responder.respond(to: &exchange)
        #expect(served.status == 200)
        #expect(!served.inputConsumed)
    }

    @Test func oversizedBodyIs413WithoutCallingTheHandlerOrReading() {
        var called = false
        let responder = RequestResponder(
            handler: { _ in
                called = true
                return APIResponse(status: 200, body: [])
            }, bodyLimit: 1_024)
        var exchange = FakeExchange(
            parameters: ["REQUEST_METHOD=POST", "CONTENT_LENGTH=2048", "REQUEST_ID=big"],
            body: Array(repeating: 0, count: 2_048))
        let served = responder.respond(to: &exchange)
        #expect(!called)
        #expect(served.status == 413)
        #expect(!served.inputConsumed)
        #expect(exchange.readCalls == 0)
        #expect(exchange.output.hasPrefix("Status: 413 Content Too Large\r\n"))
        #expect(
            exchange.output.hasSuffix(
                #"{"error":{"code":"body_too_large","message":"The request body is larger than 1 KiB.","request_id":"big"}}"#))
    }

    @Test func malformedOrTruncatedBodiesAre400() {
        let responder = RequestResponder(handler: { _ in APIResponse(status: 200, body: []) })
        var invalid = FakeExchange(parameters: ["REQUEST_METHOD=POST", "CONTENT_LENGTH=-5"])
        #expect(responder.respond(to: &invalid).status == 400)
        var truncated = FakeExchange(parameters: ["REQUEST_METHOD=POST", "CONTENT_LENGTH=10"], body: Array("abc".utf8))
        #expect(responder.respond(to: &truncated).status == 400)
        #expect(truncated.output.contains("ended after 3 of 10 bytes"))
    }

    @Test func serverErrorsCarryTheirBodyAsCause() {
        let responder = RequestResponder(handler: { _ in
            APIError(.noModel, "No model is loaded.").response(requestID: "x")
        })
        var exchange = FakeExchange(parameters: ["REQUEST_METHOD=GET", "DOCUMENT_URI=/api/health"])
        let served = responder.respond(to: &exchange)
        #expect(served.status == 503)
        #expect(served.cause?.contains("No model is loaded.") == true)
    }

    @Test func brokenStreamsAreReportedWithoutAStatus() {
        let responder = RequestResponder(handler: { _ in APIResponse(status: 200, body: []) })
        var unreadable = FakeExchange(parameters: ["REQUEST_METHOD=POST", "CONTENT_LENGTH=3"], body: Array("abc".utf8))
        unreadable.readFailure = FastCGIError(.readFailed, call: "FCGX_GetStr", errorNumber: 104)
        let readFailed = responder.respond(to: &unreadable)
        #expect(readFailed.status == nil)
        #expect(readFailed.cause?.hasPrefix("cannot read the request body") == true)
        #expect(unreadable.writes.isEmpty)

        var unwritable = FakeExchange(parameters: ["REQUEST_METHOD=GET"])
        unwritable.writeFailure = FastCGIError(.writeFailed, call: "FCGX_PutStr", errorNumber: 32)
        let writeFailed = responder.respond(to: &unwritable)
        #expect(writeFailed.status == nil)
        #expect(writeFailed.cause?.hasPrefix("cannot write the 200 response") == true)
    }
}
