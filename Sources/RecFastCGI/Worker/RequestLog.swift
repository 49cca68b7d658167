import Logging
import RecCore

/// Writes one line per request to the shared log, without a per-request dictionary or string
/// formatting, and batches the `info` lines of a busy worker into few `write(2)` calls.
///
/// A line reads
/// `2026-11-26T19:20:41.659Z info rec-fcgi.worker[4242] request: served latency_us=87 method=GET path=/api/health request_id=4f1c... status=200`.
/// Answered requests below 500 are logged at `info`, so `REC_LOG_LEVEL=warning` turns them off;
/// 5xx answers are logged at `error` with their `cause`, and requests that could not be answered
/// at all (the connection broke) at `warning`.
///
/// Every worker appends to the same file, and appends to one file serialise on its inode lock:
/// with one `write` per request, workers queue behind each other and throughput drops by a
/// third. So `info` lines collect in a buffer that is written, whole lines only, when it reaches
/// `batchBytes`, when the worker is about to wait for work (`flush()`), and before it exits.
/// An idle or lightly loaded worker therefore writes each line right away, a busy one about
/// every fifty requests. Warnings and errors are written at once, after whatever is pending, so
/// they are never lost; a worker killed outright loses at most the last `batchBytes` of `info`
/// lines.
public struct RequestLog {
    /// The buffered bytes at which `info` lines are written out.
    public static let batchBytes = 8 * 1024

    /// Where lines go; nil when logging was never set up (then nothing is written).
    private let writer: LogLineWriter?
    /// The reused line.
    private var builder: LogLineBuilder
    /// Finished `info` lines not written yet.
    private var pending: [UInt8] = []

    /// A request log writing through `writer` for the process `processName[processID]`.
    public init(writer: LogLineWriter?, processName: String, processID: Int32) {
        self.writer = writer
        builder = LogLineBuilder(
            processName: processName, processID: processID, component: "request",
            maximumLineBytes: writer?.maximumLineBytes ?? LogConfiguration.defaultMaximumLineBytes)
        pending.reserveCapacity(Self.batchBytes + LogConfiguration.defaultMaximumLineBytes)
    }

    /// The level `served` is logged at.
    public static func level(of served: ServedRequest) -> Logger.Level {
        guard let status = served.status else { return .warning }
        return status >= 500 ? .error : .info
    }

    /// The bytes waiting to be written.
    public var pendingBytes: Int { pending.count }

    /// The line for `served`, as `record` would write it at `timestamp` (for tests).
    public mutating func line(for served: ServedRequest, latencyMicroseconds: Int64, timestamp: UTCTimestamp) -> [UInt8] {
        build(served, latencyMicroseconds: latencyMicroseconds, timestamp: timestamp)
        return builder.bytes
    }

    /// Logs `served`, unless its level is below the log's: buffered for `info`, at once otherwise.
    @inline(__always)
    public mutating func record(_ served: ServedRequest, latencyMicroseconds: Int64) {
        guard let writer else { return }
        let level = Self.level(of: served)
        guard writer.isEnabled(level) else { return }
        build(served, latencyMicroseconds: latencyMicroseconds, timestamp: .now())
        if level > .info {
            flush()
            writer.write(builder.bytes, level: level)
            return
        }
        pending.append(contentsOf: builder.bytes)
        if pending.count >= Self.batchBytes { flush() }
    }

    /// Writes the pending lines, if any, with one `write(2)`.
    public mutating func flush() {
        guard !pending.isEmpty, let writer else { return }
        writer.write(pending, level: .info)
        pending.removeAll(keepingCapacity: true)
    }

    /// Builds the line for `served` into the reused buffer.
    private mutating func build(_ served: ServedRequest, latencyMicroseconds: Int64, timestamp: UTCTimestamp) {
        builder.begin(level: Self.level(of: served), message: served.status == nil ? "failed" : "served", timestamp: timestamp)
        // Keys in ascending order, as LogRecordFormatter sorts them.
        if let cause = served.cause { builder.appendField("cause", cause) }
        builder.appendField("latency_us", latencyMicroseconds)
        builder.appendField("method", served.method)
        builder.appendField("path", served.path)
        builder.appendField("request_id", served.requestID)
        if let status = served.status { builder.appendField("status", Int64(status)) } else { builder.appendField("status", "none") }
        builder.finish()
    }
}
