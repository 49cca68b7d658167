import RecCore

/// What a worker does with each request: a function from the request to the response.
///
/// The worker runs one request at a time on one thread, so the handler needs no locking and is
/// not `@Sendable`. `rec-fcgi`'s `WorkerCommand` plugs in the RecCore router
/// (`APIService.respond(to:)`) behind `BuiltInRoutes`.
public typealias APIRequestHandler = (APIRequest) -> APIResponse
