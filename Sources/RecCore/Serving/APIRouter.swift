import Logging
import RecConfiguration
import RecLogging
import RecModelFile
import RecSystem
import RecTelemetry

/// Routes one API request to its answer: the whole HTTP API of the SPEC, without sockets.
///
/// `respond(to:served:)` is a function of the request and the served model; the only side
/// effects are reading the log and the evaluation record, and the injected `reload` action.
/// Tests call it directly; `APIService` calls it for every request a worker receives.
///
/// Checks run in this order: the path (404), the method (405, with `Allow`), the body size
/// (413), then the endpoint's own checks: the admin token (401), the body and query shape
/// (400), the model (503), and the query against the model (422).
public struct APIRouter: Sendable {
    /// The largest body accepted, 64 KiB, the same limit nginx enforces.
    public static let maximumBodyBytes = 64 * 1024
    /// How many log lines `/api/log` may return.
    public static let logLineRange = 1...1000
    /// How many log lines `/api/log` returns when `lines` is not given.
    public static let defaultLogLines = 20

    /// What `/api/info` says about the running service.
    public var service: ServiceDescription
    /// The `credentials` object of `/api/info`.
    public var credentials: JSONValue
    /// Where the log and the evaluation record live.
    public var dataDirectory: DataDirectory
    /// When set (not empty), `/api/reload` requires `Authorization: Bearer <token>`.
    public var adminToken: String?
    /// Performs a reload; `APIService` passes one that also switches its own worker at once.
    public var reload: @Sendable () -> Result<ReloadOutcome, ReloadError>
    /// Reads the pool's shared counters for `/api/metrics`; `nil` (metrics off, or no pool)
    /// makes `/api/metrics` a 404 like any unknown path.
    package var metricsSnapshot: (@Sendable () throws(MetricsError) -> MetricsSnapshot)?

    /// Creates a router.
    ///
    /// - Parameters:
    ///   - service: The `service` object of `/api/info`.
    ///   - credentials: The `credentials` object of `/api/info`.
    ///   - dataDirectory: Where the log and evaluation record are.
    ///   - adminToken: `REC_ADMIN_TOKEN`; `nil` or empty leaves `/api/reload` and the log endpoints
    ///     open (`APIEndpoint.requiresAdminToken`).
    ///   - reload: The reload action; by default `ServedModelControl.reload(dataDirectory:trigger:logger:)`
    ///     with its log discarded (`APIService` passes one that logs and adopts the new generation).
    public init(
        service: ServiceDescription, credentials: JSONValue, dataDirectory: DataDirectory, adminToken: String?,
        reload: (@Sendable () -> Result<ReloadOutcome, ReloadError>)? = nil
    ) {
        self.service = service
        self.credentials = credentials
        self.dataDirectory = dataDirectory
        self.adminToken = adminToken
        self.reload =
            reload ?? {
                ServedModelControl.reload(
                    dataDirectory: dataDirectory, trigger: .api,
                    logger: Logger(label: "RecCore.APIRouter", factory: { _ in SwiftLogNoOpLogHandler() }))
            }
    }

    /// The answer to `request` from the model in `served`.
    public func respond(to request: APIRequest, served: ServedModelSnapshot) -> APIResponse {
        guard let endpoint = APIEndpoint(path: request.path), endpoint != .metrics || metricsSnapshot != nil else {
            let endpoints = APIEndpoint.allCases.filter { $0 != .metrics || metricsSnapshot != nil }.map(\.path)
            return APIError(.notFound, "there is no endpoint \(request.path); the API has \(endpoints.joined(separator: ", "))")
                .response(requestID: request.requestID)
        }
        let allowed = endpoint.allowedMethods
        if request.method == "OPTIONS" {
            return APIResponse(
                status: 204, headers: [APIResponse.HeaderField(name: "Allow", value: (allowed + ["OPTIONS"]).joined(separator: ", "))],
                body: [])
        }
        guard allowed.contains(request.method) else {
            return APIError(
                .methodNotAllowed, "\(endpoint.path) takes \(allowed.joined(separator: " or ")), not \(request.method)",
                allowedMethods: allowed
            ).response(requestID: request.requestID)
        }
        if endpoint.requiresAdminToken {
            do throws(APIError) { try checkAdminToken(request) } catch { return error.response(requestID: request.requestID) }
        }
        guard request.body.count <= Self.maximumBodyBytes else {
            return APIError(.bodyTooLarge, "the body is \(request.body.count) bytes; the limit is \(Self.maximumBodyBytes) bytes (64 KiB)")
                .response(requestID: request.requestID)
        }
        do throws(APIError) {
            switch endpoint {
            case .predict: return try predict(request, served: served)
            case .recommend: return try recommend(request, served: served)
            case .similar: return try similar(request, served: served)
            case .log: return try log(request)
            case .logDownload: return logDownload()
            case .info: return info(served: served)
            case .reload: return try reloadEveryWorker()
            case .health: return health(served: served)
            case .metrics: return try metrics()
            case .movies: return try movies(request, served: served)
            }
        } catch {
            return error.response(requestID: request.requestID)
        }
    }

    // MARK: Endpoints

    private func predict(_ request: APIRequest, served: ServedModelSnapshot) throws(APIError) -> APIResponse {
        let query = try PredictRequest.parse(body: request.body, query: request.query)
        let engine = try servedEngine(served)
        do throws(QueryError) {
            let recommendations = try engine.recommendedItems(ratings: query.ratings, count: query.count, ranking: query.ranking)
            return APIResponse(status: 200, body: APIResponseEncoding.recommendations(recommendations, model: engine.model))
        } catch {
            throw APIError(error)
        }
    }

    private func recommend(_ request: APIRequest, served: ServedModelSnapshot) throws(APIError) -> APIResponse {
        let query = try RecommendRequest.parse(query: request.query)
        let engine = try servedEngine(served)
        do throws(QueryError) {
            let recommendations = try engine.recommendedItems(userID: query.userID, count: query.count, ranking: query.ranking)
            return APIResponse(status: 200, body: APIResponseEncoding.recommendations(recommendations, model: engine.model))
        } catch {
            throw APIError(error)
        }
    }

    private func similar(_ request: APIRequest, served: ServedModelSnapshot) throws(APIError) -> APIResponse {
        let query = try SimilarRequest.parse(body: request.body, query: request.query)
        let engine = try servedEngine(served)
        do throws(QueryError) {
            let neighbours = try engine.similarItems(to: query.movie, count: query.count)
            return APIResponse(status: 200, body: APIResponseEncoding.similarMovies(neighbours, model: engine.model))
        } catch {
            throw APIError(error)
        }
    }

    private func movies(_ request: APIRequest, served: ServedModelSnapshot) throws(APIError) -> APIResponse {
        let search = try MovieSearchRequest.parse(query: request.query)
        let engine = try servedEngine(served)
        do throws(QueryError) {
            let items = try engine.searchedItems(search.text, limit: search.limit)
            return APIResponse(status: 200, body: APIResponseEncoding.movieSearch(query: search.text, items: items, engine: engine))
        } catch {
            throw APIError(error)
        }
    }

    private func log(_ request: APIRequest) throws(APIError) -> APIResponse {
        var count = Self.defaultLogLines
        if !request.query.isEmpty, let lines = try URLQueryParameters(request.query).value("lines") {
            count = try RequestFieldReader.count(queryText: lines, name: "lines", range: Self.logLineRange)
            guard Self.logLineRange.contains(count) else {
                throw APIError(
                    .countOutOfRange,
                    "'lines' must be from \(Self.logLineRange.lowerBound) to \(Self.logLineRange.upperBound), not \(lines)")
            }
        }
        do throws(SystemCallError) {
            let lines = try LogTail.lastLines(path: dataDirectory.logFile, count: count, includingRotatedFile: true)
            return APIResponseEncoding.json(.array(lines.map { .string($0) }))
        } catch {
            throw APIError(.logUnavailable, "the log cannot be read", failure: "cannot read the log: \(error)")
        }
    }

    private func logDownload() -> APIResponse {
        let path = dataDirectory.logFile
        let fileName = path.split(separator: "/").last.map(String.init) ?? "log_file.log"
        return APIResponse(
            status: 200, contentType: "text/plain; charset=utf-8",
            headers: [APIResponse.HeaderField(name: "Content-Disposition", value: "attachment; filename=\"\(fileName)\"")],
            body: [], bodyFilePath: SystemCalls.exists(path) ? path : nil)
    }

    private func info(served: ServedModelSnapshot) -> APIResponse {
        var model = JSONValue.null
        if let engine = served.engine {
            model = Self.summary(of: engine.model, dataDirectory: dataDirectory)
        }
        return APIResponseEncoding.json(.object([("credentials", credentials), ("service", service.json), ("model", model)]))
    }

    private func reloadEveryWorker() throws(APIError) -> APIResponse {
        switch reload() {
        case .success(let outcome):
            var members: [(key: String, value: JSONValue)] = [
                ("generation", .number(Double(outcome.generation))),
                ("previous_generation", outcome.previousGeneration.map { .number(Double($0)) } ?? .null),
                ("model", Self.summary(of: outcome.model, dataDirectory: dataDirectory)),
            ]
            if let warning = outcome.durabilityWarning { members.append(("warning", .string(warning))) }
            return APIResponseEncoding.json(.object(members))
        case .failure(let error):
            switch error.code {
            case .noModel: throw APIError(.noModel, error.message)
            case .invalidModel: throw APIError(.invalidModel, error.message)
            case .controlFileFailure:
                throw APIError(.reloadFailed, "the reload failed; the served generation is unchanged", failure: error.message)
            case .tooFrequent: throw APIError(.tooManyRequests, error.message)
            }
        }
    }

    private func health(served: ServedModelSnapshot) -> APIResponse {
        guard let generation = served.generation, !served.isModelDamaged else {
            return APIResponseEncoding.json(
                .object([("status", .string("unavailable")), ("generation", .null)]), status: 503,
                failure: "no model is served: \(served.problem ?? "none has been loaded")")
        }
        return APIResponseEncoding.json(.object([("status", .string("ok")), ("generation", .number(Double(generation)))]))
    }

    private func metrics() throws(APIError) -> APIResponse {
        guard let metricsSnapshot else { throw APIError(.notFound, "there is no endpoint /api/metrics: REC_METRICS is off") }
        do throws(MetricsError) {
            let snapshot = try metricsSnapshot()
            return APIResponse(status: 200, contentType: PrometheusText.contentType, body: Array(PrometheusText.render(snapshot).utf8))
        } catch {
            throw APIError(.metricsUnavailable, "the pool's shared counters cannot be read", failure: error.message)
        }
    }

    // MARK: Shared checks

    private func servedEngine(_ served: ServedModelSnapshot) throws(APIError) -> RecommendationEngine {
        if served.isModelDamaged { throw Self.damagedModelError(problem: served.problem) }
        guard let engine = served.engine else {
            throw APIError(
                .noModel, "no model is served yet; train one with `rec-cli train`, then POST /api/reload",
                failure: "no model is served: \(served.problem ?? "none has been loaded")")
        }
        return engine
    }

    /// The refusal for a request whose generation changed on disk after it was validated:
    /// 503 `invalid_model`, with the cause for the log.
    public static func damagedModelError(problem: String?) -> APIError {
        APIError(
            .invalidModel,
            "the served model file changed on disk after it was validated, so it is not answered from; publish a model with `rec-cli train` or restore the file, then POST /api/reload",
            failure: problem ?? "the served model file changed on disk during the request", status: 503)
    }

    /// Requires `Authorization: Bearer <adminToken>` when an admin token is set; the token is
    /// compared in time that does not depend on where it differs.
    private func checkAdminToken(_ request: APIRequest) throws(APIError) {
        guard let adminToken, !adminToken.isEmpty else { return }
        let expected = Array(adminToken.utf8)
        var given: [UInt8] = []
        if let authorization = request.authorization {
            let bytes = Array(authorization.utf8)
            let scheme = Array("bearer ".utf8)
            if bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
                given = Array(bytes[scheme.count...])
            }
        }
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<expected.count { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        guard difference == 0 else {
            let sentNoToken = request.authorization.map { $0.allSatisfy { $0 == " " || $0 == "\t" } } ?? true
            throw APIError(
                .unauthorized,
                sentNoToken
                    ? "this endpoint needs the admin token: send Authorization: Bearer <REC_ADMIN_TOKEN>"
                    : "the admin token is wrong")
        }
    }

    /// The `model` object of `/api/info` and `/api/reload`, with the last evaluation when it
    /// was of this generation; a generation whose metadata cannot be read says so instead.
    private static func summary(of model: LoadedModel, dataDirectory: DataDirectory) -> JSONValue {
        do throws(ModelFileError) {
            return try ModelSummary.json(of: model, evaluation: EvaluationRecord.load(in: dataDirectory))
        } catch {
            return .object([("generation", .number(Double(model.generation))), ("error", .string(error.description))])
        }
    }
}
