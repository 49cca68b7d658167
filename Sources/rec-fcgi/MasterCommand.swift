import Logging
import RecCore
import RecFastCGI

/// `rec-fcgi` without arguments: sets up logging and runs the master.
enum MasterCommand {
    /// Runs the master with `settings`; returns the process exit code.
    static func run(settings: RecSettings) -> Int32 {
        RecLogging.bootstrap(processName: "rec-fcgi.master", settings: settings, standardErrorLevel: .info)
        let logger = Logger(label: "master")
        let programName = ServerSystemCalls.linkTarget("/proc/self/exe") ?? CommandLine.arguments.first ?? "rec-fcgi"
        let master = WorkerPoolMaster(
            configuration: settings.serving, dataDirectory: settings.dataDirectory, logger: logger, programName: programName)
        return master.run()
    }
}
