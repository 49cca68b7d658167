#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization
import RecConfiguration

/// Sets up swift-log for a RecServe process: one log file for the CLI, the FastCGI master and
/// every worker, plus standard error for what a person watching should see.
public enum RecLogging {
    private static let isBootstrapped = Mutex(false)
    /// The sink the bootstrap installed, for `lineWriter`.
    private static let installedSink = Mutex<LogFileSink?>(nil)

    /// Writes preformatted lines to the same file, with the same rotation, as this process's
    /// loggers; nil before `bootstrap`. For hot paths that build lines with `LogLineBuilder`.
    public static var lineWriter: LogLineWriter? {
        installedSink.withLock { sink in sink.map(LogLineWriter.init(sink:)) }
    }

    /// Makes every `Logger` of this process write through a `FileLogHandler` to
    /// `settings.dataDirectory.logFile`, with the level and rotation of `settings.log`.
    ///
    /// Call it once at the start of each process (after `exec`, not just `fork`), before the
    /// first `Logger` is made. swift-log traps on a second bootstrap, so a second call here does
    /// nothing and returns false; nothing else in the process may call `LoggingSystem.bootstrap`.
    /// The first call also warns about `REC_*` variables that look like misspelt settings
    /// (`RecSettings.likelyMisspellings`).
    ///
    /// - Parameters:
    ///   - processName: What the process is called in each line, for example `rec-cli` or
    ///     `rec-fcgi.worker`.
    ///   - settings: The process's settings (`RecSettings.fromProcessEnvironment()`).
    ///   - standardErrorLevel: The least severe level also shown on standard error: `.warning`
    ///     for the CLI, `.info` for servers.
    ///   - metadataProvider: Contextual metadata for every record, such as a request id.
    /// - Returns: Whether this call installed the handler.
    @discardableResult
    public static func bootstrap(
        processName: String,
        settings: RecSettings,
        standardErrorLevel: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Bool {
        var configuration = settings.log
        configuration.standardErrorLevel = standardErrorLevel
        let installed = isBootstrapped.withLock { isBootstrapped in
            guard !isBootstrapped else { return false }
            isBootstrapped = true
            let sink = LogFileSink(
                path: settings.dataDirectory.logFile,
                configuration: configuration,
                processName: processName,
                standardErrorDescriptor: STDERR_FILENO
            )
            installedSink.withLock { $0 = sink }
            LoggingSystem.bootstrap(
                { label, provider in FileLogHandler(label: label, sink: sink, metadataProvider: provider) },
                metadataProvider: metadataProvider
            )
            return true
        }
        if installed {
            let logger = Logger(label: "settings")
            for misspelling in settings.likelyMisspellings {
                logger.warning(
                    "\(misspelling)",
                    metadata: ["variable": .string(misspelling.variable), "suggestion": .string(misspelling.suggestion)])
            }
        }
        return installed
    }

    /// A handler with its own descriptor on the log at `path`, as if it belonged to a separate
    /// process, without touching the global logging system. For tests and tools; use it with
    /// `Logger(label:factory:)`.
    ///
    /// - Parameters:
    ///   - label: The component shown in each line.
    ///   - path: The log file; its folder is created when missing.
    ///   - configuration: Levels, cap and backups.
    ///   - processName: The process name shown in each line; the executable's name by default.
    ///   - standardErrorDescriptor: Where standard-error output goes; it is not closed.
    public static func makeFileHandler(
        label: String,
        path: String,
        configuration: LogConfiguration = LogConfiguration(),
        processName: String = executableName,
        standardErrorDescriptor: Int32 = STDERR_FILENO
    ) -> FileLogHandler {
        let sink = LogFileSink(
            path: path,
            configuration: configuration,
            processName: processName,
            standardErrorDescriptor: standardErrorDescriptor
        )
        return FileLogHandler(label: label, sink: sink, metadataProvider: nil)
    }

    /// A line writer with its own descriptor on the log at `path`, like `makeFileHandler`, for
    /// tests and tools that check `LogLineBuilder` output without the global bootstrap.
    public static func makeLineWriter(
        path: String,
        configuration: LogConfiguration = LogConfiguration(),
        processName: String = executableName,
        standardErrorDescriptor: Int32 = STDERR_FILENO
    ) -> LogLineWriter {
        LogLineWriter(
            sink: LogFileSink(
                path: path,
                configuration: configuration,
                processName: processName,
                standardErrorDescriptor: standardErrorDescriptor
            ))
    }

    /// The name the process was started with, without its folder, for example `rec-cli`.
    public static var executableName: String {
        guard let first = CommandLine.arguments.first, let name = first.split(separator: "/").last else { return "rec" }
        return String(name)
    }
}
