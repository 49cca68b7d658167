/// Serialises `JSONValue` trees to compact JSON text.
///
/// Numbers that are whole print without a fraction (`318`, not `318.0`); others print in
/// Swift's shortest round-tripping form (`4.1234`). Strings escape quotes, backslashes and
/// control characters; everything else is written as UTF-8.
public enum JSONWriter {
    /// The compact JSON text of `value`.
    public static func string(_ value: JSONValue) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the compact JSON text of `value` to `output`.
    public static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writeNumber(number, to: &output)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a number; non-finite values, which JSON cannot express, become `null`.
    public static func writeNumber(_ number: Double, to output: inout [UInt8]) {
        guard number.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        if number.rounded() == number, abs(number) < 1e15 {
            writeInteger(Int(number), to: &output)
        } else {
            output.append(contentsOf: number.description.utf8)
        }
    }

    /// Appends a whole number in decimal, without making a `String`.
    public static func writeInteger(_ value: Int, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = digits.count
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[position...]))
        }
    }

    /// Appends `scaled / 10^places` as the shortest decimal that reads back as that value, the
    /// way `writeNumber` prints it: `41235, 4` gives `4.1235`, `45000, 4` gives `4.5` and
    /// `50000, 4` gives `5`. For ratings rounded to a fixed number of places, without making a
    /// `String`. `places` is from 0 to 18.
    public static func writeDecimal(scaled: Int, places: Int, to output: inout [UInt8]) {
        precondition((0...18).contains(places), "places must be from 0 to 18")
        var unit = 1
        for _ in 0..<places { unit *= 10 }
        if scaled < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = Int(scaled.magnitude)
        writeInteger(magnitude / unit, to: &output)
        var fraction = magnitude % unit
        guard fraction > 0 else { return }
        var digits = places
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        output.append(UInt8(ascii: "."))
        var leadingZeros = digits
        var remaining = fraction
        while remaining > 0 {
            remaining /= 10
            leadingZeros -= 1
        }
        for _ in 0..<leadingZeros { output.append(UInt8(ascii: "0")) }
        writeInteger(fraction, to: &output)
    }

    /// Appends a quoted, escaped string.
    public static func writeString(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { writeString(utf8: UnsafeRawBufferPointer($0), to: &output) }
    }

    /// Appends the UTF-8 bytes `utf8` as a quoted, escaped string: what the API uses to write
    /// titles straight from the memory-mapped model file. The bytes are copied in runs between
    /// the few that need escaping.
    public static func writeString(utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case 0x0A: output.append(contentsOf: "\\n".utf8)
            case 0x0D: output.append(contentsOf: "\\r".utf8)
            case 0x09: output.append(contentsOf: "\\t".utf8)
            default:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0xF))
            }
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart...]))
        output.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
