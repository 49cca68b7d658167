import RecCore

/// The worker's own answers while no API router is plugged in: the benchmark's ceiling route and
/// a JSON 404 for everything else.
///
/// `GET /bench/hello` returns a tiny fixed JSON body; it measures the cost of nginx, FastCGI and
/// the worker loop with no API work at all. It is off unless `REC_HELLO_ROUTE=1`, so it never
/// shows up in a real deployment by accident.
public enum BuiltInRoutes {
    /// The benchmark route's path.
    public static let helloPath = "/bench/hello"

    /// The benchmark route's body, built once.
    static let helloBody: [UInt8] = Array(#"{"hello":"world"}"#.utf8)

    /// A handler that answers the hello route when `helloRouteEnabled` and 404 otherwise.
    public static func handler(helloRouteEnabled: Bool) -> APIRequestHandler {
        return { request in
            if helloRouteEnabled && request.path == helloPath {
                if request.method == "GET" || request.method == "HEAD" {
                    return APIResponse(status: 200, body: helloBody)
                }
                return APIErrorResponse.make(
                    status: 405, code: "method_not_allowed", message: "\(helloPath) answers GET only.",
                    requestID: request.requestID, headers: [APIResponse.HeaderField(name: "Allow", value: "GET, HEAD")])
            }
            return notFound(request)
        }
    }

    /// 404 in the API's error shape.
    public static func notFound(_ request: APIRequest) -> APIResponse {
        APIErrorResponse.make(status: 404, code: "not_found",
                              message: "There is no endpoint \(request.method) \(request.path).",
                              requestID: request.requestID)
    }
}
