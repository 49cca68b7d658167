import Logging
import RecSystem

/// The swift-log handler of every RecServe process: appends each record as one line to the
/// shared log file and copies the severe ones to standard error.
///
/// Like every swift-log handler it is a value: changing the level or metadata of one `Logger`
/// leaves the others alone. All handlers made by one bootstrap share one open file.
public struct FileLogHandler: LogHandler {
    /// The least severe level this handler passes on; `Logger` drops less severe records
    /// before they reach it.
    public var logLevel: Logger.Level
    /// Metadata added to every record of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Supplies contextual metadata, such as a request id from a task-local value, at each
    /// log call.
    public var metadataProvider: Logger.MetadataProvider?
    /// The logger's label, shown as the record's component, for example `trainer`.
    public let label: String

    let sink: LogFileSink

    init(label: String, sink: LogFileSink, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.sink = sink
        self.logLevel = sink.configuration.fileLevel
        self.metadataProvider = metadataProvider
    }

    /// The handler's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one line. Metadata given at the call wins over the provider's, which
    /// wins over the handler's; an attached error is shown as `error=...`.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string(String(describing: error))
        }
        sink.write(
            LogRecord(
                timestamp: .now(),
                level: event.level,
                processName: sink.processName,
                processID: SystemCalls.processID(),
                component: label,
                message: event.message.description,
                metadata: merged
            ))
    }
}
