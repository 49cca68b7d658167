import Logging
import RecCore
import Testing

struct LogLineBuilderTests {
    private let timestamp = UTCTimestamp(secondsSinceEpoch: 1_795_718_749, nanoseconds: 123_456_789)

    @Test func buildsTheFormattersLineAndReusesItsBuffer() {
        var builder = LogLineBuilder(processName: "rec fcgi", processID: 7, component: "request")
        for round in 0..<3 {
            builder.begin(level: .warning, message: "served\nnow", timestamp: timestamp)
            builder.appendField("a", "two words")
            builder.appendField("b", Int64(-round))
            Array("c=d".utf8).withUnsafeBufferPointer { builder.appendField("c", bytes: $0) }
            builder.finish()
            let record = LogRecord(
                timestamp: timestamp, level: .warning, processName: "rec fcgi", processID: 7, component: "request",
                message: "served\nnow", metadata: ["a": "two words", "b": "\(-round)", "c": "c=d"])
            #expect(builder.bytes == LogRecordFormatter.format(record))
        }
    }

    @Test func truncatesLikeTheFormatter() {
        var builder = LogLineBuilder(processName: "p", processID: 1, component: "c", maximumLineBytes: 300)
        let long = String(repeating: "é", count: 400)
        builder.begin(level: .info, message: "m", timestamp: timestamp)
        builder.appendField("k", long)
        builder.finish()
        let record = LogRecord(
            timestamp: timestamp, level: .info, processName: "p", processID: 1, component: "c", message: "m",
            metadata: ["k": .string(long)])
        #expect(builder.bytes == LogRecordFormatter.format(record, maximumLineBytes: 300))
        #expect(builder.bytes.count <= 300)
        #expect(builder.bytes.last == UInt8(ascii: "\n"))
    }
}
