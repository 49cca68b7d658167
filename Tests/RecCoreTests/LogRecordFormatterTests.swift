import Foundation
import Logging
import RecCore
import Testing

struct LogRecordFormatterTests {
    private func record(
        at timestamp: UTCTimestamp = UTCTimestamp(secondsSinceEpoch: 1_795_718_749, nanoseconds: 123_456_789),
        level: Logger.Level = .info,
        component: String = "trainer",
        message: String = "validation finished",
        metadata: Logger.Metadata = [:]
    ) -> LogRecord {
        LogRecord(
            timestamp: timestamp, level: level, processName: "rec-cli", processID: 12345,
            component: component, message: message, metadata: metadata)
    }

    private func line(_ record: LogRecord, maximumLineBytes: Int = LogConfiguration.defaultMaximumLineBytes) -> String {
        String(decoding: LogRecordFormatter.format(record, maximumLineBytes: maximumLineBytes), as: UTF8.self)
    }

    @Test func formatsTheDocumentedExample() {
        let text = line(record(metadata: ["rmse": "0.8412", "epoch": "12"]))
        #expect(text == "2026-11-26T18:45:49.123Z info rec-cli[12345] trainer: validation finished epoch=12 rmse=0.8412\n")
    }

    static let timestampCases: [(seconds: Int64, nanoseconds: Int32, expected: String)] = [
        (0, 0, "1970-01-01T00:00:00.000Z"),
        (-1, 0, "1969-12-31T23:59:59.000Z"),
        (-86_400 * 365, 500_000_000, "1969-01-01T00:00:00.500Z"),
        (951_868_799, 999_999_999, "2000-02-29T23:59:59.999Z"),
        (951_868_800, 0, "2000-03-01T00:00:00.000Z"),
        (1_795_718_749, 1_000_000, "2026-11-26T18:45:49.001Z"),
        (4_107_542_400, 0, "2100-03-01T00:00:00.000Z"),
        (253_402_300_799, 0, "9999-12-31T23:59:59.000Z"),
    ]

    @Test(arguments: timestampCases)
    func timestampIsUTCWithTruncatedMilliseconds(seconds: Int64, nanoseconds: Int32, expected: String) {
        #expect(UTCTimestamp(secondsSinceEpoch: seconds, nanoseconds: nanoseconds).iso8601 == expected)
    }

    @Test func timestampAgreesWithFoundationAcrossCenturies() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SeededRandomNumberGenerator(seed: 42)
        for _ in 0..<5_000 {
            let seconds = Int64(generator.next() % 7_000_000_000) - 2_000_000_000
            let ours = UTCTimestamp(secondsSinceEpoch: seconds).iso8601
            let foundation = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(ours.replacingOccurrences(of: ".000Z", with: "Z") == foundation, "seconds \(seconds)")
            let wholeSeconds = UTCTimestamp(Date(timeIntervalSince1970: TimeInterval(seconds) + 0.75)).iso8601WholeSeconds
            #expect(wholeSeconds == foundation, "whole seconds of \(seconds).75 truncate")
        }
    }

    @Test func nowIsCloseToFoundationsClock() {
        let ours = UTCTimestamp.now()
        let foundation = Date().timeIntervalSince1970
        #expect(abs(Double(ours.secondsSinceEpoch) + Double(ours.nanoseconds) / 1e9 - foundation) < 5)
    }

    @Test(arguments: Logger.Level.allCases)
    func levelNameIsTheSecondField(level: Logger.Level) {
        let fields = line(record(level: level)).split(separator: " ")
        #expect(fields[1] == level.rawValue)
    }

    @Test func metadataKeysAreSorted() {
        let text = line(record(message: "m", metadata: ["zeta": "1", "alpha": "2", "Mid": "3", "beta": "4"]))
        #expect(text.hasSuffix(" m Mid=3 alpha=2 beta=4 zeta=1\n"))
    }

    @Test func plainValuesStayBareAndOthersAreQuotedAndEscaped() {
        let text = line(
            record(
                message: "m",
                metadata: [
                    "a_plain": "0.8412",
                    "b_unicode": "Misérables",
                    "c_space": "hello world",
                    "d_quote": #"say "hi""#,
                    "e_equals": "a=b",
                    "f_empty": "",
                    "g_backslash": #"C:\temp"#,
                    "h_newline": "two\nlines",
                    "key with space": "x",
                ]))
        let expected =
            #" m a_plain=0.8412 b_unicode=Misérables c_space="hello world" d_quote="say \"hi\"" e_equals="a=b" f_empty="" g_backslash="C:\\temp" h_newline="two\nlines" "key with space"=x"#
        #expect(text.hasSuffix(expected + "\n"))
    }

    @Test func lineBreaksAndControlCharactersInTheMessageAreEscaped() {
        let text = line(
            record(
                component: "http\nworker",
                message:
                    "first\nsecond\r\nthird\ttab \u{1B}[31mred\u{7F} nel\u{85} separator\u{2028}paragraph\u{2029} back\\slash \"quoted\""
            ))
        #expect(text.filter { $0 == "\n" || $0 == "\r\n" }.count == 1)
        #expect(
            text.hasSuffix(
                #" http\nworker: first\nsecond\r\nthird\ttab \u{1B}[31mred\u{7F} nel\u{85} separator\u{2028}paragraph\u{2029} back\\slash "quoted""#
                    + "\n"))
    }

    @Test func nestedMetadataRendersTheSameEveryTime() {
        let metadata: Logger.Metadata = [
            "ids": ["1", "2", "3"],
            "user": ["name": "ann", "age": "3", "city": "x"],
        ]
        let text = line(record(message: "m", metadata: metadata))
        #expect(text.hasSuffix(#" m ids="[1, 2, 3]" user="[age: 3, city: x, name: ann]""# + "\n"))
    }

    @Test func stringConvertibleValuesUseTheirDescription() {
        let text = line(record(message: "m", metadata: ["rmse": .stringConvertible(0.5), "count": .stringConvertible(7)]))
        #expect(text.hasSuffix(" m count=7 rmse=0.5\n"))
    }

    @Test func emptyMessageLeavesOnlyTheMetadata() {
        let text = line(record(message: "", metadata: ["k": "v"]))
        #expect(text.hasSuffix("] trainer: k=v\n"))
        #expect(line(record(message: "")).hasSuffix("] trainer:\n"))
    }

    @Test func longRecordIsCutAtACharacterBoundaryWithAMarker() throws {
        let message = String(repeating: "é", count: 100_000)
        let bytes = LogRecordFormatter.format(record(message: message))
        // The cut backs up over at most three bytes of a partial character.
        #expect((LogConfiguration.defaultMaximumLineBytes - 3...LogConfiguration.defaultMaximumLineBytes).contains(bytes.count))
        let text = try #require(String(validating: bytes, as: UTF8.self))
        let fullLength = line(record(message: message), maximumLineBytes: .max).utf8.count - 1
        #expect(text.hasSuffix("é [truncated from \(fullLength) bytes]\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
    }

    @Test func recordExactlyAtTheLimitIsKeptWhole() {
        let sample = record(message: String(repeating: "x", count: 500))
        let whole = LogRecordFormatter.format(sample, maximumLineBytes: .max)
        #expect(LogRecordFormatter.format(sample, maximumLineBytes: whole.count) == whole)
        let cut = LogRecordFormatter.format(sample, maximumLineBytes: whole.count - 1)
        #expect(cut.count == whole.count - 1)
        #expect(String(decoding: cut, as: UTF8.self).hasSuffix(" [truncated from \(whole.count - 1) bytes]\n"))
    }
}
