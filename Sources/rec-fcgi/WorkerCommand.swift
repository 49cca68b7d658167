import Foundation
import Logging
import RecCore
import RecFastCGI

/// `rec-fcgi --worker`: one worker process, started by the master.
enum WorkerCommand {
    /// Runs a worker; returns the process exit code (see `WorkerExitCode`).
    static func run(environment: [String: String], maximumRequests: Int) -> Int32 {
        let dataDirectory = DataDirectory.fromEnvironment(environment)
        // Before any model is mapped: a read past a served file truncated in place becomes
        // zero pages and a 503 instead of killing the worker with SIGBUS.
        MappingFaultGuard.install()
        // Request lines are info records; copying them to standard error would double the cost
        // of every request, so workers only show warnings and errors there.
        RecLogging.bootstrap(
            processName: "rec-fcgi.worker", dataDirectory: dataDirectory,
            standardErrorLevel: .warning, environment: environment)
        let logger = Logger(label: "worker")
        guard
            let configuration = ServingConfiguration.loadLoggingFailure(
                environment: environment, dataDirectory: dataDirectory,
                logger: logger)
        else {
            return WorkerExitCode.usage
        }
        var settings = FastCGIWorker.Settings()
        settings.maximumRequests = maximumRequests
        settings.requestTimeoutSeconds = UInt32(configuration.requestTimeoutSeconds)
        let requestLog = RequestLog(writer: RecLogging.lineWriter, processName: "rec-fcgi.worker", processID: SystemCalls.processID())
        let worker = FastCGIWorker(
            settings: settings,
            handler: makeRequestHandler(
                configuration: configuration, dataDirectory: dataDirectory,
                environment: environment, logger: logger),
            requestLog: requestLog, logger: logger)
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
    /// each request.
    static func makeRequestHandler(
        configuration: ServingConfiguration, dataDirectory: DataDirectory,
        environment: [String: String], logger: Logger
    ) -> APIRequestHandler {
        let service = APIService(
            dataDirectory: dataDirectory, environment: environment,
            workerCount: configuration.workerCount, startedAt: Date(), logger: logger)
        logger.debug("worker serving", metadata: ["generation": "\(service.servedGeneration.map(String.init) ?? "none")"])
        return BuiltInRoutes.handler(helloRouteEnabled: configuration.helloRouteEnabled) { request in
            service.respond(to: request)
        }
    }
}
