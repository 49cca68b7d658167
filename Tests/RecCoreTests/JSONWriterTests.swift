import Testing
@testable import RecCore

/// The allocation-free writers the API's hot answers use, and the parser's short-number path,
/// checked against the general `String`-based formatting they replace.
struct JSONWriterTests {
    private func written(_ body: (inout [UInt8]) -> Void) -> String {
        var output: [UInt8] = []
        body(&output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test(arguments: [0, 7, -7, 318, 1_000_000, Int.max, Int.min])
    func integersPrintLikeTheStandardLibrary(_ value: Int) {
        #expect(written { JSONWriter.writeInteger(value, to: &$0) } == String(value))
    }

    @Test(arguments: [
        (41235, "4.1235"), (45000, "4.5"), (50000, "5"), (10000, "1"), (10001, "1.0001"), (10500, "1.05"),
        (0, "0"), (7, "0.0007"), (-25000, "-2.5"), (-3, "-0.0003"),
    ])
    func decimalsDropTrailingZeros(scaled: Int, expected: String) {
        #expect(written { JSONWriter.writeDecimal(scaled: scaled, places: 4, to: &$0) } == expected)
    }

    @Test func roundedRatingsPrintAsTheGeneralWriterPrintsTheRoundedDouble() {
        var generator = SeededRandomNumberGenerator(seed: 11)
        for _ in 0..<5_000 {
            let rating = 1 + 4 * generator.nextUnitFloat()
            let fast = written { JSONWriter.writeDecimal(scaled: RatingRounding.fourDecimalsScaled(rating), places: 4, to: &$0) }
            let general = written { JSONWriter.writeNumber(RatingRounding.fourDecimals(rating), to: &$0) }
            #expect(fast == general, "\(rating)")
            #expect(Double(fast) == RatingRounding.fourDecimals(rating))
        }
    }

    /// A rating that is not finite (which a validated model never yields) is written as a
    /// number instead of trapping the worker, as fuzzing found it could.
    @Test func nonFiniteRatingsNeverTrap() {
        #expect(RatingRounding.fourDecimalsScaled(.nan) == 0)
        #expect(RatingRounding.fourDecimalsScaled(.infinity) == 10_000_000_000_000_000)
        #expect(RatingRounding.fourDecimalsScaled(-.infinity) == -10_000_000_000_000_000)
        #expect(RatingRounding.fourDecimals(4.25) == 4.25)
    }

    @Test func bytesAreEscapedLikeStrings() {
        let text = "Misérables, Les \"1995\" \\ tab\there\u{01}\nend"
        var copy = text
        let fromBytes = copy.withUTF8 { utf8 in written { JSONWriter.writeString(utf8: UnsafeRawBufferPointer(utf8), to: &$0) } }
        #expect(fromBytes == #""Misérables, Les \"1995\" \\ tab\there\u0001\nend""#)
        #expect(written { JSONWriter.writeString(text, to: &$0) } == fromBytes)
        #expect(written { JSONWriter.writeString("", to: &$0) } == "\"\"")
    }

    @Test func shortDecimalsParseExactlyAsTheStandardLibraryDoes() throws {
        var generator = SeededRandomNumberGenerator(seed: 3)
        var texts = [
            "0", "-0", "5", "4.5", "-12.25", "0.1", "0.3", "123456789012345", "1.23456789012345", "9007199254740993",
            "0.000000000000001", "3.14159265358979323846", "1e3", "2.5E-3",
        ]
        for _ in 0..<3_000 {
            let digits = 1 + generator.nextIndex(below: 15)
            let point = generator.nextIndex(below: digits)
            var text = (0..<digits).map { _ in String(generator.nextIndex(below: 10)) }.joined()
            while text.count > 1 && text.hasPrefix("0") && point != 1 { text.removeFirst() }
            if point > 0 && point < text.count { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if text.hasPrefix("0") && text.count > 1 && !text.hasPrefix("0.") { continue }
            texts.append(generator.nextIndex(below: 2) == 0 ? text : "-" + text)
        }
        for text in texts {
            let parsed = try JSONParser.parse(text)
            let expected = try #require(Double(text))
            #expect(parsed == .number(expected), "\(text)")
            #expect(parsed.number?.sign == expected.sign, "\(text)")
        }
    }
}
