/// A JSON text that could not be parsed, with the byte offset of the problem.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        /// The text is not valid JSON.
        case syntax
        /// Arrays or objects nest deeper than the parser allows.
        case tooDeep = "too_deep"
        /// An array has more elements than the caller allows.
        case tooLong = "too_long"
    }

    /// What kind of problem it is.
    public var code: Code
    /// The byte offset where parsing failed.
    public var offset: Int
    /// What was expected or found.
    public var reason: String

    /// `invalid JSON at byte 12: expected ',' or ']'`.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// Strict on purpose: `NaN`, `Infinity`, comments, trailing commas and unescaped control
/// characters are errors, so a malformed request is refused instead of half-understood.
/// Nesting is capped so a hostile body cannot exhaust the stack, and a caller that knows how
/// long its arrays may be can cap their length, so that an oversized body is refused after
/// reading only as much of it as a valid one could hold.
public enum JSONParser {
    /// The deepest nesting accepted.
    public static let maximumDepth = 64

    /// Parses a complete JSON document from `bytes`.
    ///
    /// - Parameter maximumArrayLength: the most elements any array may have; the parser stops
    ///   with `tooLong` at the first element past it.
    public static func parse(_ bytes: some Collection<UInt8>, maximumArrayLength: Int = .max) throws(JSONParseError) -> JSONValue {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            var reader = Reader(bytes: buffer, maximumArrayLength: maximumArrayLength)
            reader.skipWhitespace()
            let value = try reader.parseValue(depth: 0)
            reader.skipWhitespace()
            guard reader.position == buffer.count else {
                throw reader.error("unexpected \(reader.describeCurrent()) after the JSON value")
            }
            return value
        }
    }

    /// Parses a complete JSON document from `text`.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let maximumArrayLength: Int
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maximumArrayLength: Int) {
            self.bytes = bytes
            self.maximumArrayLength = maximumArrayLength
        }

        func error(_ reason: String, code: JSONParseError.Code = .syntax) -> JSONParseError {
            JSONParseError(code: code, offset: position, reason: reason)
        }

        func describeCurrent() -> String {
            guard position < bytes.count else { return "end of input" }
            let byte = bytes[position]
            if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x" + String(byte, radix: 16)
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
            guard position < bytes.count else { throw error("expected a value, found end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw error("expected a value, found \(describeCurrent())")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw error("expected '\(literal)'") }
            for index in 0..<count where bytes[position + index] != literal.utf8Start[index] {
                throw error("expected '\(literal)'")
            }
            position += count
        }

        mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONParser.maximumDepth else { throw error("nesting deeper than \(JSONParser.maximumDepth)", code: .tooDeep) }
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                guard elements.count < maximumArrayLength else {
                    throw error("an array has more than \(maximumArrayLength) elements", code: .tooLong)
                }
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw error("expected ',' or ']', found end of input") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
                throw error("expected ',' or ']', found \(describeCurrent())")
            }
        }

        mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= JSONParser.maximumDepth else { throw error("nesting deeper than \(JSONParser.maximumDepth)", code: .tooDeep) }
            position += 1
            var members: [(key: String, value: JSONValue)] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes, found \(describeCurrent())")
                }
                let key = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after a member name, found \(describeCurrent())")
                }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue(depth: depth)))
                skipWhitespace()
                guard position < bytes.count else { throw error("expected ',' or '}', found end of input") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw error("expected ',' or '}', found \(describeCurrent())")
            }
        }

        mutating func parseNumber() throws(JSONParseError) -> Double {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("expected a digit") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("expected a digit after '.'") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard position < bytes.count, isDigit(bytes[position]) else { throw error("expected a digit in the exponent") }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if let value = exactShortDecimal(start..<position) { return value }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else {
                position = start
                throw error("the number \(text) is out of range")
            }
            return value
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// The value of an already validated number without an exponent and with at most 15
        /// digits, such as `4`, `-12` or `3.5`, computed without making a `String`; `nil` for
        /// any other number. Exact: the digits form an integer below 2⁵³ and the divisor is
        /// a power of ten below 10¹⁶, both exact doubles, and one division rounds correctly.
        func exactShortDecimal(_ range: Range<Int>) -> Double? {
            var mantissa: UInt64 = 0
            var digitCount = 0
            var fractionDigitCount = 0
            var isNegative = false
            var isInFraction = false
            for index in range {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "-"): isNegative = true
                case UInt8(ascii: "."): isInFraction = true
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    digitCount += 1
                    guard digitCount <= 15 else { return nil }
                    mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                    if isInFraction { fractionDigitCount += 1 }
                default: return nil
                }
            }
            var divisor = 1.0
            for _ in 0..<fractionDigitCount { divisor *= 10 }
            let magnitude = Double(mantissa) / divisor
            return isNegative ? -magnitude : magnitude
        }

        /// Parses the string that starts at the opening quote under `position`. A string
        /// without escapes is validated in place; one with escapes is rebuilt byte by byte.
        mutating func parseString() throws(JSONParseError) -> String {
            position += 1
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    guard let text = String(validating: slice, as: UTF8.self) else {
                        position = start
                        throw error("the string is not valid UTF-8")
                    }
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                position += 1
            }
            position = start
            return try parseEscapedString()
        }

        /// Parses the rest of a string from its first byte under `position`, decoding escapes.
        mutating func parseEscapedString() throws(JSONParseError) -> String {
            var scalars: [UInt8] = []
            while true {
                guard position < bytes.count else { throw error("unterminated string") }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    guard let text = String(validating: scalars, as: UTF8.self) else { throw error("the string is not valid UTF-8") }
                    return text
                }
                if byte < 0x20 { throw error("control character in a string; escape it") }
                if byte != UInt8(ascii: "\\") {
                    scalars.append(byte)
                    position += 1
                    continue
                }
                position += 1
                try appendEscape(to: &scalars)
            }
        }

        /// Decodes the escape whose letter is under `position` (after the backslash) and appends
        /// its UTF-8 bytes to `scalars`.
        mutating func appendEscape(to scalars: inout [UInt8]) throws(JSONParseError) {
            guard position < bytes.count else { throw error("unterminated escape") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"): scalars.append(contentsOf: String(Character(try parseUnicodeEscape())).utf8)
            default:
                position -= 1
                throw error("unknown escape \\\(describeCurrent())")
            }
        }

        /// The scalar of a `\uXXXX` escape whose hex digits start under `position`, joining a
        /// surrogate pair written as two escapes; an unpaired surrogate is an error.
        mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
            var code = try parseHexQuad()
            if (0xD800..<0xDC00).contains(code) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in \\u escape")
                }
                position += 2
                let low = try parseHexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw error("unpaired surrogate in \\u escape")
            }
            return Unicode.Scalar(code)!
        }

        mutating func parseHexQuad() throws(JSONParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("expected four hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("expected a hex digit, found \(describeCurrent())")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }
    }
}
