import Foundation
import Logging
import RecCore
import Testing

struct LogRotationTests {
    /// A fresh folder for each test; Swift Testing makes a new suite value per test and keeps
    /// it until the test ends.
    private let directory: LogTestDirectory

    init() throws {
        directory = try LogTestDirectory()
    }

    /// The sequence numbers of `record sequence=N` lines in `file`, in file order.
    private func sequences(in file: String) throws -> [Int] {
        try (directory.lines(of: file) ?? []).map { line in
            let rest = try #require(ParsedLogLine(line)?.rest, "not a whole record: \(line)")
            return try #require(Int(rest.split(separator: "=").last ?? ""), "no sequence in: \(line)")
        }
    }

    private func makeRotatingLogger(
        label: String = "rotation", maximumFileBytes: Int, backupCount: Int = 1, capture: Int32 = STDERR_FILENO
    ) -> Logger {
        makeLogger(
            RecLogging.makeFileHandler(
                label: label, path: directory.logFile,
                configuration: LogConfiguration(maximumFileBytes: maximumFileBytes, backupCount: backupCount),
                processName: "rec-test", standardErrorDescriptor: capture))
    }

    @Test func rotationKeepsTheNewestLinesAndTheCapHoldsWithinOneRecord() throws {
        let cap = 4_096
        let logger = makeRotatingLogger(maximumFileBytes: cap)
        var longestRecord = 0
        for sequence in 0..<1_000 {
            let before = directory.size(of: directory.logFile)
            logger.info("record sequence=\(sequence)")
            longestRecord = max(longestRecord, directory.size(of: directory.logFile) - before)
            #expect(directory.size(of: directory.logFile) <= cap + longestRecord)
        }
        let backup = directory.logFile + ".1"
        #expect(directory.size(of: backup) > cap)
        #expect(directory.size(of: backup) <= cap + longestRecord)
        #expect(!FileManager.default.fileExists(atPath: directory.logFile + ".2"))

        let kept = try sequences(in: backup) + sequences(in: directory.logFile)
        #expect(kept.last == 999)
        #expect(kept == Array((1_000 - kept.count)..<1_000))
        #expect(kept.count > cap / longestRecord)
    }

    @Test func rotationKeepsTheConfiguredNumberOfBackupsOldestLast() throws {
        let logger = makeRotatingLogger(maximumFileBytes: 2_048, backupCount: 3)
        for sequence in 0..<1_000 { logger.info("record sequence=\(sequence)") }

        #expect(!FileManager.default.fileExists(atPath: directory.logFile + ".4"))
        let files = [3, 2, 1].map { "\(directory.logFile).\($0)" } + [directory.logFile]
        let kept = try files.flatMap { try sequences(in: $0) }
        for file in files.dropLast() { #expect(try !sequences(in: file).isEmpty) }
        #expect(kept == Array((1_000 - kept.count)..<1_000))
    }

    @Test func anExistingOversizedLogIsRotatedOnTheFirstRecordNotTruncated() throws {
        let oldRun = makeRotatingLogger(maximumFileBytes: 1_000_000)
        for sequence in 0..<100 { oldRun.info("record sequence=\(sequence)") }
        let newRun = makeRotatingLogger(maximumFileBytes: 2_048)
        newRun.info("record sequence=100")

        #expect(try sequences(in: directory.logFile + ".1") == Array(0..<100))
        #expect(try sequences(in: directory.logFile) == [100])
    }

    @Test func aWriterWhoseFileWasRotatedAwayReopensThePath() throws {
        let rotating = makeRotatingLogger(label: "rotating", maximumFileBytes: 2_048)
        let idle = makeRotatingLogger(label: "idle", maximumFileBytes: 2_048)
        idle.info("record sequence=0")
        var sequence = 1
        while !FileManager.default.fileExists(atPath: directory.logFile + ".1") {
            rotating.info("record sequence=\(sequence)")
            sequence += 1
        }
        // The idle writer's descriptor now points at log_file.log.1.
        idle.info("record sequence=\(sequence)")
        rotating.info("record sequence=\(sequence + 1)")
        idle.info("record sequence=\(sequence + 2)")

        let backup = try #require(directory.lines(of: directory.logFile + ".1")).compactMap(ParsedLogLine.init)
        let current = try #require(directory.lines(of: directory.logFile)).compactMap(ParsedLogLine.init)
        #expect(backup.first?.component == "idle")
        #expect(backup.dropFirst().allSatisfy { $0.component == "rotating" })
        #expect(current.map(\.component) == ["rotating", "idle", "rotating", "idle"])
        #expect(try sequences(in: directory.logFile).suffix(3) == [sequence, sequence + 1, sequence + 2])
    }

    @Test func concurrentWritersThatRotateLoseNoRecordAndTearNoLine() throws {
        let writers = 8
        let recordsPerWriter = 1_000
        let cap = 32 * 1_024
        let path = directory.logFile
        runOnThreads(writers) { writer in
            let logger = makeLogger(
                RecLogging.makeFileHandler(
                    label: "writer-\(writer)", path: path,
                    configuration: LogConfiguration(maximumFileBytes: cap, backupCount: 100), processName: "rec-test"))
            for sequence in 0..<recordsPerWriter {
                logger.info("record writer=\(writer) sequence=\(writer * recordsPerWriter + sequence)")
            }
        }

        let backups = (1...100).map { "\(path).\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
        #expect(backups.count > 5)
        #expect(!FileManager.default.fileExists(atPath: "\(path).\(backups.count + 1)"))
        let all = try ([path] + backups).flatMap { try sequences(in: $0) }
        #expect(all.sorted() == Array(0..<(writers * recordsPerWriter)))
        for file in [path] + backups {
            // Each writer may append one record after the file went over the cap.
            #expect(directory.size(of: file) <= cap + writers * 128)
        }
    }

    @Test func aFailedRotationKeepsWritingReportsOnceAndIsRetriedLater() throws {
        let capture = directory.openCaptureFile()
        defer { close(capture) }
        let logger = makeRotatingLogger(maximumFileBytes: 1_024, capture: capture)
        SystemCallFaults.$active.withValue(["rename": EPERM]) {
            for sequence in 0..<50 { logger.info("record sequence=\(sequence)") }
        }
        #expect(try sequences(in: directory.logFile) == Array(0..<50))
        #expect(!FileManager.default.fileExists(atPath: directory.logFile + ".1"))
        let reports = directory.capturedText().split(separator: "\n").filter { $0.contains("cannot rotate the log file") }
        #expect(reports.count == 1)
        #expect(reports.first?.contains("Operation not permitted") == true)

        for sequence in 50..<200 { logger.info("record sequence=\(sequence)") }
        let kept = try sequences(in: directory.logFile + ".1") + sequences(in: directory.logFile)
        #expect(kept.last == 199)
        #expect(kept == Array((200 - kept.count)..<200))
        #expect(directory.size(of: directory.logFile) < 1_024 + 128)
    }
}
