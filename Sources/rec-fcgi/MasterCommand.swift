import Logging
import RecCore
import RecFastCGI

/// `rec-fcgi` without arguments: reads the configuration, sets up logging and runs the master.
enum MasterCommand {
    /// Runs the master; returns the process exit code.
    static func run(environment: [String: String]) -> Int32 {
        let dataDirectory = DataDirectory.fromEnvironment(environment)
        RecLogging.bootstrap(
            processName: "rec-fcgi.master", dataDirectory: dataDirectory,
            standardErrorLevel: .info, environment: environment)
        let logger = Logger(label: "master")
        guard
            let configuration = ServingConfiguration.loadLoggingFailure(
                environment: environment, dataDirectory: dataDirectory,
                logger: logger)
        else {
            return 2
        }
        let programName = ServerSystemCalls.linkTarget("/proc/self/exe") ?? CommandLine.arguments.first ?? "rec-fcgi"
        let master = WorkerPoolMaster(configuration: configuration, dataDirectory: dataDirectory, logger: logger, programName: programName)
        return master.run()
    }
}
