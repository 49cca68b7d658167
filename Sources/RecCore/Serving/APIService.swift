import Foundation
import Logging
import Synchronization
import RecConfiguration
import RecSupport
import RecSystem
import RecTelemetry

/// The whole API of one worker process: what the FastCGI worker calls for every request.
///
/// Create one per worker, after `fork`/`exec` and after `RecLogging.bootstrap`, then call
/// `respond(to:)` for each request. It takes the served generation from its
/// `ServedModelHolder` (one atomic load of the shared control file), routes with `APIRouter`,
/// and returns the response; the caller measures latency and logs the status, and for a 5xx
/// also `APIResponse.failure`, the cause. `/api/reload` switches this worker at once and every
/// other worker from its next request.
///
/// Its settings are the worker's `RecSettings`: the data folder, the admin token that guards
/// `/api/reload`, and where `BuildInfo` and `ServiceCredentials` are read from. A worker of a
/// pool with metrics on also gives it the reader of the shared counters, for `/api/metrics`,
/// and the service keeps the worker's served-generation gauges current.
public final class APIService: Sendable {
    /// The data folder served.
    public let dataDirectory: DataDirectory
    /// The served generation of this process.
    public let holder: ServedModelHolder
    /// The router every request goes through.
    public let router: APIRouter
    private let generatedRequestCount = Atomic<UInt64>(0)
    private let processID: Int32
    private let gauges: ServedModelGauges?

    /// Sets up a worker's API and loads the served model.
    ///
    /// - Parameters:
    ///   - settings: The process's settings: `dataDirectory`, `adminToken`, `buildInfoPath` and
    ///     `credentialsPath` are used.
    ///   - workerCount: How many workers the master runs, for `/api/info`.
    ///   - startedAt: When the master started, for `/api/info`.
    ///   - processID: This worker's process id, for `/api/info`.
    ///   - logger: Where generation switches and model problems are logged.
    public convenience init(
        settings: RecSettings, workerCount: Int, startedAt: Date,
        processID: Int32 = SystemCalls.processID(), logger: Logger = Logger(label: "RecCore.APIService")
    ) {
        self.init(
            settings: settings, workerCount: workerCount, startedAt: startedAt, processID: processID, logger: logger,
            metricsSnapshot: nil)
    }

    /// Sets up a worker's API as above; `metricsSnapshot` reads the pool's shared counters for
    /// `/api/metrics`, and `nil` leaves that endpoint a 404 and records no gauges.
    package init(
        settings: RecSettings, workerCount: Int, startedAt: Date, processID: Int32, logger: Logger,
        metricsSnapshot: (@Sendable () throws(MetricsError) -> MetricsSnapshot)?
    ) {
        let dataDirectory = settings.dataDirectory
        self.dataDirectory = dataDirectory
        self.processID = processID
        let holder = ServedModelHolder(dataDirectory: dataDirectory, logger: logger)
        self.holder = holder
        let service = ServiceDescription(
            build: BuildInfo.load(configuredPath: settings.buildInfoPath), startedAt: UTCTimestamp(startedAt).iso8601WholeSeconds,
            workers: workerCount, processID: processID)
        let reloadLimit = Mutex(ReloadRateLimit())
        var router = APIRouter(
            service: service, credentials: ServiceCredentials.load(configuredPath: settings.credentialsPath).credentials,
            dataDirectory: dataDirectory, adminToken: settings.adminToken
        ) {
            guard reloadLimit.withLock({ $0.admit(now: SystemCalls.coarseMonotonicNanoseconds()) }) else {
                return .failure(
                    ReloadError(.tooFrequent, "too many reloads: this worker accepts 2 a second (bursts of 5); try again shortly"))
            }
            let outcome = ServedModelControl.reload(dataDirectory: dataDirectory, trigger: .api, logger: logger)
            if case .success(let reloaded) = outcome { holder.adopt(reloaded) }
            return outcome
        }
        router.metricsSnapshot = metricsSnapshot
        self.router = router
        gauges = metricsSnapshot == nil ? nil : ServedModelGauges()
        gauges?.update(from: holder.snapshot())
    }

    /// The answer to `request`. A request without a request id gets one (`<pid>-<n>` in hex),
    /// echoed in an `X-Request-Id` header, so error bodies always carry an id.
    public func respond(to request: APIRequest) -> APIResponse {
        let served = holder.snapshot()
        gauges?.update(from: served)
        guard request.requestID.isEmpty else { return answer(request, from: served) }
        var identified = request
        let number = generatedRequestCount.add(1, ordering: .relaxed).newValue
        identified.requestID = String(processID, radix: 16) + "-" + String(number, radix: 16)
        var response = answer(identified, from: served)
        response.headers.append(APIResponse.HeaderField(name: "X-Request-Id", value: identified.requestID))
        return response
    }

    /// The router's answer, withdrawn for 503 `invalid_model` when the generation it read
    /// changed on disk while it was computed: `snapshot()` checked the file before, this
    /// checks it after, so no answer comes from bytes that were not validated.
    private func answer(_ request: APIRequest, from served: ServedModelSnapshot) -> APIResponse {
        let response = router.respond(to: request, served: served)
        guard let model = served.engine?.model, APIEndpoint(path: request.path)?.readsServedModel == true, !model.isUnchangedOnDisk else {
            return response
        }
        holder.noteChangedOnDisk(model)
        return APIRouter.damagedModelError(
            problem: "generation \(model.generation) (\(model.path)) changed on disk while a request read it"
        )
        .response(requestID: request.requestID)
    }

    /// The generation this worker serves now, or `nil`; for the worker's start-up log line.
    public var servedGeneration: Int? { holder.generation }
}
