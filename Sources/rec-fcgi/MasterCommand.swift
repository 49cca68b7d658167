import Logging
import RecCore
import RecFastCGI

/// `rec-fcgi` without arguments: sets up logging and metrics, and runs the master.
enum MasterCommand {
    /// Runs the master with `settings`; returns the process exit code.
    static func run(settings: RecSettings) -> Int32 {
        RecLogging.bootstrap(processName: "rec-fcgi.master", settings: settings, standardErrorLevel: .info)
        let logger = Logger(label: "master")
        let metricsFile = MetricsBootstrap.master(settings: settings, logger: logger)
        let programName = ServerSystemCalls.linkTarget("/proc/self/exe") ?? CommandLine.arguments.first ?? "rec-fcgi"
        let master = WorkerPoolMaster(
            configuration: settings.serving, dataDirectory: settings.dataDirectory, logger: logger, programName: programName,
            metricsFile: metricsFile)
        return master.run()
    }
}
