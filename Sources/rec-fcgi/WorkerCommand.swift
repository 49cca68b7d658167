import Foundation
import Logging
import RecCore
import RecFastCGI

/// `rec-fcgi --worker`: one worker process, started by the master.
enum WorkerCommand {
    /// Runs a worker that counts its requests in slot `metricsSlot` of the shared counters;
    /// returns the process exit code (see `WorkerExitCode`).
    static func run(settings: RecSettings, maximumRequests: Int, metricsSlot: Int?) -> Int32 {
        // Before any model is mapped: a read past a served file truncated in place becomes
        // zero pages and a 503 instead of killing the worker with SIGBUS.
        MappingFaultGuard.install()
        // Request lines are info records; copying them to standard error would double the cost
        // of every request, so workers only show warnings and errors there.
        RecLogging.bootstrap(processName: "rec-fcgi.worker", settings: settings, standardErrorLevel: .warning)
        let logger = Logger(label: "worker")
        var workerSettings = FastCGIWorker.Settings()
        workerSettings.maximumRequests = maximumRequests
        workerSettings.requestTimeoutSeconds = UInt32(settings.serving.requestTimeoutSeconds)
        let requestLog = RequestLog(writer: RecLogging.lineWriter, processName: "rec-fcgi.worker", processID: SystemCalls.processID())
        let metrics = MetricsBootstrap.worker(settings: settings, slot: metricsSlot, logger: logger)
        let worker = FastCGIWorker(
            settings: workerSettings,
            handler: makeRequestHandler(settings: settings, metricsSnapshot: metrics.snapshot, logger: logger),
            requestLog: requestLog, requestMetrics: metrics.requestMetrics, logger: logger)
        logger.debug("worker ready", metadata: ["max_requests": "\(maximumRequests)"])
        switch worker.run() {
        case .stopped(let signal, let drained):
            logger.debug("worker stopped", metadata: ["signal": "\(signal)", "drained": "\(drained)"])
            return WorkerExitCode.finished
        case .recycled(let requests):
            logger.debug("worker served its request quota", metadata: ["requests": "\(requests)"])
            return WorkerExitCode.finished
        case .masterGone:
            logger.warning("the master is gone; worker exiting")
            return WorkerExitCode.masterGone
        case .failed(let reason):
            logger.critical("worker failed", metadata: ["reason": "\(reason)"])
            return WorkerExitCode.startupFailed
        }
    }

    /// The function each request goes to: the benchmark route when enabled, then the API,
    /// whose service is made once per worker and checks the shared model control file before
    /// each request; `metricsSnapshot` reads the pool's counters for `/api/metrics`.
    static func makeRequestHandler(
        settings: RecSettings, metricsSnapshot: (@Sendable () throws(MetricsError) -> MetricsSnapshot)?, logger: Logger
    ) -> APIRequestHandler {
        let service = APIService(
            settings: settings, workerCount: settings.serving.workerCount, startedAt: Date(), processID: SystemCalls.processID(),
            logger: logger, metricsSnapshot: metricsSnapshot)
        logger.debug("worker serving", metadata: ["generation": "\(service.servedGeneration.map(String.init) ?? "none")"])
        return BuiltInRoutes.handler(helloRouteEnabled: settings.serving.helloRouteEnabled) { request in
            service.respond(to: request)
        }
    }
}
