import Logging
import RecSupport

/// One log record with everything its line shows, before it is turned into text.
///
/// Keeping the record separate from the handler lets `LogRecordFormatter` be a pure function
/// that tests can check for a fixed time, process and metadata without touching a file.
public struct LogRecord: Sendable {
    /// When the record was made.
    public var timestamp: UTCTimestamp
    /// How severe it is.
    public var level: Logger.Level
    /// The process that made it, for example `rec-cli` or `rec-fcgi.worker`.
    public var processName: String
    /// The id of that process, which tells apart workers with the same name.
    public var processID: Int32
    /// The part of the program it comes from: the logger's label, for example `trainer`.
    public var component: String
    /// The human sentence.
    public var message: String
    /// Key-value details, for example `epoch=12`, shown after the message in key order.
    public var metadata: Logger.Metadata

    /// Creates a record from its parts.
    public init(
        timestamp: UTCTimestamp,
        level: Logger.Level,
        processName: String,
        processID: Int32,
        component: String,
        message: String,
        metadata: Logger.Metadata = [:]
    ) {
        self.timestamp = timestamp
        self.level = level
        self.processName = processName
        self.processID = processID
        self.component = component
        self.message = message
        self.metadata = metadata
    }
}
