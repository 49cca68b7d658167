import RecCore

/// What a worker does with each request: a function from the request to the response.
///
/// The worker runs one request at a time on one thread, so the handler needs no locking and is
/// not `@Sendable`. The RecCore router (`APIService.respond(to:)`) is meant to be plugged in here
/// by `rec-fcgi`'s `WorkerCommand`; until then `BuiltInRoutes` answers.
public typealias APIRequestHandler = (APIRequest) -> APIResponse
