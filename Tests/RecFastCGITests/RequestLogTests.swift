import Foundation
import Logging
import RecCore
import RecFastCGI
import Testing

struct RequestLogTests {
    private let timestamp = UTCTimestamp(secondsSinceEpoch: 1_795_718_749, nanoseconds: 123_456_789)

    @Test func lineMatchesWhatTheLogFormatterMakesForTheSameRecord() {
        var log = RequestLog(writer: nil, processName: "rec-fcgi.worker", processID: 4242)
        let cases = [
            ServedRequest(method: "GET", path: "/api/health", requestID: "4f1c", status: 200),
            ServedRequest(method: "POST", path: "/api/predict with space", requestID: "", status: 503, cause: "{\"error\":\n\"x=y\"}"),
            ServedRequest(method: "GET", path: "/api/\u{2028}", requestID: "r", status: nil, cause: "cannot write"),
        ]
        for served in cases {
            var metadata: Logger.Metadata = [
                "latency_us": "87", "method": .string(served.method), "path": .string(served.path),
                "request_id": .string(served.requestID), "status": .string(served.status.map(String.init) ?? "none"),
            ]
            if let cause = served.cause { metadata["cause"] = .string(cause) }
            let record = LogRecord(
                timestamp: timestamp, level: RequestLog.level(of: served), processName: "rec-fcgi.worker",
                processID: 4242, component: "request", message: served.status == nil ? "failed" : "served",
                metadata: metadata)
            #expect(log.line(for: served, latencyMicroseconds: 87, timestamp: timestamp) == LogRecordFormatter.format(record))
        }
        #expect(
            String(decoding: log.line(for: cases[0], latencyMicroseconds: 87, timestamp: timestamp), as: UTF8.self)
                == "2026-11-26T18:45:49.123Z info rec-fcgi.worker[4242] request: served latency_us=87 method=GET path=/api/health request_id=4f1c status=200\n"
        )
    }

    @Test func levelsFollowTheOutcome() {
        #expect(RequestLog.level(of: ServedRequest(method: "GET", path: "/", requestID: "", status: 404)) == .info)
        #expect(RequestLog.level(of: ServedRequest(method: "GET", path: "/", requestID: "", status: 500)) == .error)
        #expect(RequestLog.level(of: ServedRequest(method: "GET", path: "/", requestID: "", status: nil)) == .warning)
    }

    @Test func infoLinesAreBatchedAndErrorsFlushEverythingAtOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rec-fcgi-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log_file.log"
        let capture = folder + "/stderr.txt"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let standardError = open(capture, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        defer { close(standardError) }
        let writer = RecLogging.makeLineWriter(path: path, processName: "rec-fcgi.worker", standardErrorDescriptor: standardError)
        var log = RequestLog(writer: writer, processName: "rec-fcgi.worker", processID: 1)
        func lines() -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        log.record(ServedRequest(method: "GET", path: "/a", requestID: "1", status: 200), latencyMicroseconds: 5)
        log.record(ServedRequest(method: "GET", path: "/b", requestID: "2", status: 404), latencyMicroseconds: 5)
        #expect(lines().isEmpty)
        #expect(log.pendingBytes > 0)
        log.record(ServedRequest(method: "GET", path: "/c", requestID: "3", status: 502, cause: "boom"), latencyMicroseconds: 5)
        #expect(lines().count == 3)
        #expect(lines()[2].contains("error rec-fcgi.worker[1] request: served cause=boom"))
        #expect(log.pendingBytes == 0)
        #expect(String(decoding: FileManager.default.contents(atPath: capture) ?? Data(), as: UTF8.self).contains("cause=boom"))

        log.record(ServedRequest(method: "GET", path: "/d", requestID: "4", status: 200), latencyMicroseconds: 5)
        log.flush()
        #expect(lines().count == 4)
        for index in 0..<200 {
            log.record(ServedRequest(method: "GET", path: "/e", requestID: "\(index)", status: 200), latencyMicroseconds: 5)
        }
        #expect(lines().count > 4)
        #expect(log.pendingBytes < RequestLog.batchBytes)
        log.flush()
        #expect(lines().count == 204)
    }

    @Test func nothingIsBuiltBelowTheLogLevel() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rec-fcgi-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = RecLogging.makeLineWriter(path: folder + "/log_file.log", configuration: LogConfiguration(fileLevel: .warning))
        var log = RequestLog(writer: writer, processName: "rec-fcgi.worker", processID: 1)
        log.record(ServedRequest(method: "GET", path: "/a", requestID: "1", status: 200), latencyMicroseconds: 5)
        #expect(log.pendingBytes == 0)
        log.flush()
        #expect(!FileManager.default.fileExists(atPath: folder + "/log_file.log"))
    }
}
