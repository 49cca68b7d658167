import Logging

/// Appends finished log lines to the log file of the process, through the same descriptor,
/// rotation and standard-error copy as its `Logger`s.
///
/// It exists for records written once per HTTP request: the caller formats the line itself with
/// `LogLineBuilder` into a reused buffer, so the request path pays for one `write(2)` and not for
/// a metadata dictionary. Get it from `RecLogging.lineWriter` after `RecLogging.bootstrap`.
public struct LogLineWriter: Sendable {
    let sink: LogFileSink

    /// A writer over the process's (or a test's) sink.
    init(sink: LogFileSink) {
        self.sink = sink
    }

    /// The least severe level that reaches the file (`REC_LOG_LEVEL`); build no line below it.
    public var fileLevel: Logger.Level { sink.configuration.fileLevel }

    /// The longest line the file takes (`LogConfiguration.maximumLineBytes`), for `LogLineBuilder`.
    public var maximumLineBytes: Int { sink.configuration.maximumLineBytes }

    /// The process name this process's records carry, for `LogLineBuilder`.
    public var processName: String { sink.processName }

    /// Whether a record at `level` is written at all.
    @inline(__always)
    public func isEnabled(_ level: Logger.Level) -> Bool { level >= fileLevel }

    /// Appends `line`, which must be one whole record ending in `\n` (as `LogLineBuilder.bytes`
    /// is after `finish()`), with one `write(2)`; a record below `fileLevel` is dropped.
    public func write(_ line: [UInt8], level: Logger.Level) {
        guard isEnabled(level) else { return }
        sink.write(line: line, level: level)
    }
}
