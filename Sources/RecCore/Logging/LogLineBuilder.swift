import RecConfiguration
import Logging
import RecSupport

/// Builds one log line in `LogRecordFormatter`'s format directly into a buffer that is reused
/// from line to line.
///
/// The FastCGI worker logs every request. Going through `Logger` would build a metadata
/// dictionary, convert each value to a `String` and sort the keys on every request; this
/// builder appends bytes instead, and caches the `process[pid] component:` part. The result is
/// byte for byte the line `LogRecordFormatter.format` makes for the same record, provided the
/// fields are appended in ascending key order (the order the formatter sorts them into).
public struct LogLineBuilder: Sendable {
    /// `process[pid] component:`, escaped once.
    private let origin: [UInt8]
    /// The longest line, newline included; longer ones are truncated with a marker.
    private let maximumLineBytes: Int
    /// The line so far; after `finish()`, the whole record ending in `\n`.
    public private(set) var bytes: [UInt8]

    /// A builder for lines from `processName[processID] component:`.
    public init(
        processName: String, processID: Int32, component: String,
        maximumLineBytes: Int = LogConfiguration.defaultMaximumLineBytes
    ) {
        var origin: [UInt8] = []
        LogRecordFormatter.appendText(processName, to: &origin)
        origin.append(UInt8(ascii: "["))
        origin.appendDecimal(Int64(processID))
        origin.append(contentsOf: "] ".utf8)
        LogRecordFormatter.appendText(component, to: &origin)
        origin.append(UInt8(ascii: ":"))
        self.origin = origin
        self.maximumLineBytes = max(maximumLineBytes, LogRecordFormatter.minimumLineBytes)
        self.bytes = []
        self.bytes.reserveCapacity(256)
    }

    /// Starts a new line, dropping the previous one but keeping its storage.
    public mutating func begin(level: Logger.Level, message: String, timestamp: UTCTimestamp = .now()) {
        bytes.removeAll(keepingCapacity: true)
        timestamp.appendISO8601(to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: level.rawValue.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: origin)
        if !message.isEmpty {
            bytes.append(UInt8(ascii: " "))
            LogRecordFormatter.appendText(message, to: &bytes)
        }
    }

    /// Appends ` key=value`, quoting and escaping the value as the formatter does.
    public mutating func appendField(_ key: String, _ value: String) {
        appendKey(key)
        LogRecordFormatter.appendField(value, to: &bytes)
    }

    /// Appends ` key=value` for a value given as UTF-8 bytes, so callers need not make a `String`.
    public mutating func appendField(_ key: String, bytes value: UnsafeBufferPointer<UInt8>) {
        appendKey(key)
        LogRecordFormatter.appendField(bytes: value, to: &bytes)
    }

    /// Appends ` key=value` for an integer, which never needs quotes.
    public mutating func appendField(_ key: String, _ value: Int64) {
        appendKey(key)
        bytes.appendDecimal(value)
    }

    /// Ends the line with `\n`, or truncates it with the formatter's marker when it is too long.
    public mutating func finish() {
        if bytes.count < maximumLineBytes {
            bytes.append(UInt8(ascii: "\n"))
        } else {
            bytes = LogRecordFormatter.terminated(bytes, maximumLineBytes: maximumLineBytes)
        }
    }

    private mutating func appendKey(_ key: String) {
        bytes.append(UInt8(ascii: " "))
        LogRecordFormatter.appendField(key, to: &bytes)
        bytes.append(UInt8(ascii: "="))
    }
}
