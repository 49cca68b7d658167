import RecCore

/// The worker's own route in front of the API router: the benchmark's ceiling.
///
/// `GET /bench/hello` returns a tiny fixed JSON body; it measures the cost of nginx, FastCGI and
/// the worker loop with no API work at all. It is off unless `REC_HELLO_ROUTE=1`, so it never
/// shows up in a real deployment by accident. Every other request goes to the API.
public enum BuiltInRoutes {
    /// The benchmark route's path.
    public static let helloPath = "/bench/hello"

    /// The benchmark route's body, built once.
    static let helloBody: [UInt8] = Array(#"{"hello":"world"}"#.utf8)

    /// A handler that answers the hello route when `helloRouteEnabled` and passes everything
    /// else to `next`.
    public static func handler(helloRouteEnabled: Bool, next: @escaping APIRequestHandler) -> APIRequestHandler {
        guard helloRouteEnabled else { return next }
        return { request in
            guard request.path == helloPath else { return next(request) }
            if request.method == "GET" || request.method == "HEAD" {
                return APIResponse(status: 200, body: helloBody)
            }
            return APIError(.methodNotAllowed, "\(helloPath) answers GET only.", allowedMethods: ["GET", "HEAD"])
                .response(requestID: request.requestID)
        }
    }
}
