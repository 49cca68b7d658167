import RecConfiguration
import Logging

/// Turns a `LogRecord` into the bytes of exactly one log line.
///
/// The line is `time level process[pid] component: message key=value ...`, for example
/// `2026-11-26T18:45:49.123Z info rec-cli[12345] trainer: validation finished epoch=12 rmse=0.8412`.
/// Every process appends to the same file and `/api/log` hands out whole lines, so a record
/// must never span two lines: line breaks and other control characters are escaped, metadata
/// keys come in sorted order so equal records give equal lines, and a value that contains a
/// space, quote, `=` or backslash is quoted. The function is pure, so it is tested without I/O.
public enum LogRecordFormatter {
    /// The smallest limit honoured, so that the truncation marker always fits.
    static let minimumLineBytes = 256

    /// The line for `record`, ending in `\n` and at most `maximumLineBytes` long (but never less
    /// than 256). A longer line is cut at a character boundary and ends in
    /// `[truncated from N bytes]`, so the reader sees that something is missing.
    public static func format(_ record: LogRecord, maximumLineBytes: Int = LogConfiguration.defaultMaximumLineBytes) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(96 + record.message.utf8.count + record.metadata.count * 24)
        record.timestamp.appendISO8601(to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: record.level.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        appendText(record.processName, to: &line)
        line.append(UInt8(ascii: "["))
        line.appendDecimal(Int64(record.processID))
        line.append(contentsOf: "] ".utf8)
        appendText(record.component, to: &line)
        line.append(UInt8(ascii: ":"))
        if !record.message.isEmpty {
            line.append(UInt8(ascii: " "))
            appendText(record.message, to: &line)
        }
        for key in record.metadata.keys.sorted() {
            line.append(UInt8(ascii: " "))
            appendField(key, to: &line)
            line.append(UInt8(ascii: "="))
            appendField(text(of: record.metadata[key]!), to: &line)
        }
        return terminated(line, maximumLineBytes: max(maximumLineBytes, minimumLineBytes))
    }

    /// The text of a metadata value: arrays and dictionaries in brackets, dictionary keys sorted,
    /// so a value renders the same way every time.
    private static func text(of value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string):
            return string
        case .stringConvertible(let convertible):
            return convertible.description
        case .array(let values):
            return "[" + values.map(text(of:)).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            let entries = dictionary.keys.sorted().map { key in "\(key): \(text(of: dictionary[key]!))" }
            return "[" + entries.joined(separator: ", ") + "]"
        }
    }

    /// Appends `line` plus `\n`, or as much of it as fits followed by the truncation marker.
    static func terminated(_ line: [UInt8], maximumLineBytes: Int) -> [UInt8] {
        var line = line
        if line.count < maximumLineBytes {
            line.append(UInt8(ascii: "\n"))
            return line
        }
        let marker = Array(" [truncated from \(line.count) bytes]\n".utf8)
        var kept = maximumLineBytes - marker.count
        // Back up to the first byte of a UTF-8 sequence so the line stays valid text.
        while kept > 0 && line[kept] & 0b1100_0000 == 0b1000_0000 { kept -= 1 }
        line.removeSubrange(kept...)
        line.append(contentsOf: marker)
        return line
    }

    /// Appends free text (names, the message) with line breaks, control characters and
    /// backslashes escaped; spaces and quotes stay as they are.
    static func appendText(_ text: String, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in appendEscaped(bytes, escapingQuotes: false, to: &line) }
    }

    /// Appends a metadata key or value: bare when it is a plain word, otherwise in double
    /// quotes with quotes, backslashes and control characters escaped.
    static func appendField(_ text: String, to line: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in appendField(bytes: bytes, to: &line) }
    }

    /// Appends a metadata key or value given as UTF-8 bytes, quoted and escaped as `appendField(_:to:)` does.
    static func appendField(bytes: UnsafeBufferPointer<UInt8>, to line: inout [UInt8]) {
        if needsQuotes(bytes) {
            line.append(UInt8(ascii: "\""))
            appendEscaped(bytes, escapingQuotes: true, to: &line)
            line.append(UInt8(ascii: "\""))
        } else {
            line.append(contentsOf: bytes)
        }
    }

    /// Whether a field must be quoted to be read back unambiguously.
    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        for index in bytes.indices {
            switch bytes[index] {
            case 0...0x20, UInt8(ascii: "\""), UInt8(ascii: "="), UInt8(ascii: "\\"), 0x7F:
                return true
            default:
                if lineBreakingSequence(in: bytes, at: index) != nil { return true }
            }
        }
        return false
    }

    /// Appends `bytes`, escaping what would break the line or confuse a terminal.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, escapingQuotes: Bool, to line: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                line.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"):
                line.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"):
                line.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"):
                line.append(contentsOf: #"\t"#.utf8)
            case UInt8(ascii: "\"") where escapingQuotes:
                line.append(contentsOf: #"\""#.utf8)
            case 0..<0x20, 0x7F:
                appendUnicodeEscape(UInt32(byte), to: &line)
            default:
                if let sequence = lineBreakingSequence(in: bytes, at: index) {
                    appendUnicodeEscape(sequence.scalar, to: &line)
                    index += sequence.length
                    continue
                }
                line.append(byte)
            }
            index += 1
        }
    }

    /// The multi-byte characters that some readers treat as line breaks or controls: C1 controls
    /// (U+0080 to U+009F, including NEL) and the line and paragraph separators U+2028 and U+2029.
    private static func lineBreakingSequence(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (length: Int, scalar: UInt32)? {
        let byte = bytes[index]
        if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
            return (2, UInt32(bytes[index + 1]))
        }
        if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
            return (3, bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029)
        }
        return nil
    }

    /// Appends `\u{1B}`, Swift's spelling of a Unicode scalar.
    private static func appendUnicodeEscape(_ scalar: UInt32, to line: inout [UInt8]) {
        line.append(contentsOf: #"\u{"#.utf8)
        line.append(contentsOf: String(scalar, radix: 16, uppercase: true).utf8)
        line.append(UInt8(ascii: "}"))
    }
}
