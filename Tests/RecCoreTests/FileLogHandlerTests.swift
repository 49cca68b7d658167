import Foundation
import Logging
import RecCore
import Testing

struct FileLogHandlerTests {
    /// A fresh folder for each test; Swift Testing makes a new suite value per test and keeps
    /// it until the test ends.
    private let directory: LogTestDirectory

    init() throws {
        directory = try LogTestDirectory()
    }

    private struct ModelMissing: Error, CustomStringConvertible {
        var description: String { "no model in data/model" }
    }

    @Test func eachRecordIsOneLineWithProcessComponentAndMetadata() throws {
        let capture = directory.openCaptureFile()
        defer { close(capture) }
        let handler = RecLogging.makeFileHandler(
            label: "trainer", path: directory.logFile, processName: "rec-test", standardErrorDescriptor: capture)
        let logger = makeLogger(handler)
        logger.info("validation finished", metadata: ["epoch": "12", "rmse": "0.8412"])
        logger.warning("slow\nepoch")

        let lines = try #require(directory.lines(of: directory.logFile))
        #expect(lines.count == 2)
        let first = try #require(ParsedLogLine(lines[0]))
        #expect(first.level == "info")
        #expect(first.processName == "rec-test")
        #expect(first.processID == Int(getpid()))
        #expect(first.component == "trainer")
        #expect(first.rest == "validation finished epoch=12 rmse=0.8412")
        #expect(ParsedLogLine(lines[1])?.rest == #"slow\nepoch"#)
        #expect(directory.capturedText() == lines[1] + "\n")
    }

    @Test func recordsBelowTheFileLevelAreDropped() throws {
        let informational = makeLogger(
            RecLogging.makeFileHandler(
                label: "a", path: directory.logFile, configuration: LogConfiguration(fileLevel: .info)))
        informational.debug("hidden")
        informational.info("shown")
        let verbose = makeLogger(
            RecLogging.makeFileHandler(
                label: "b", path: directory.logFile, configuration: LogConfiguration(fileLevel: .debug)))
        verbose.debug("detail")

        let lines = try #require(directory.lines(of: directory.logFile))
        #expect(lines.compactMap { ParsedLogLine($0)?.rest } == ["shown", "detail"])
        #expect(informational.logLevel == .info)
        #expect(verbose.logLevel == .debug)
    }

    @Test func standardErrorGetsOnlyRecordsAtItsLevel() {
        let capture = directory.openCaptureFile()
        defer { close(capture) }
        let handler = RecLogging.makeFileHandler(
            label: "cli", path: directory.logFile,
            configuration: LogConfiguration(standardErrorLevel: .warning), standardErrorDescriptor: capture)
        let logger = makeLogger(handler)
        logger.info("progress")
        logger.warning("careful")
        logger.error("failed")

        #expect(directory.lines(of: directory.logFile)?.count == 3)
        let captured = directory.capturedText().split(separator: "\n").compactMap { ParsedLogLine(String($0)) }
        #expect(captured.map(\.rest) == ["careful", "failed"])
        #expect(captured.map(\.level) == ["warning", "error"])
    }

    @Test func callMetadataWinsOverProviderWhichWinsOverHandler() throws {
        let capture = directory.openCaptureFile()
        defer { close(capture) }
        var handler = RecLogging.makeFileHandler(label: "http", path: directory.logFile, standardErrorDescriptor: capture)
        handler[metadataKey: "source"] = "handler"
        handler[metadataKey: "worker"] = "1"
        handler.metadataProvider = Logger.MetadataProvider { ["source": "provider", "request_id": "r-7"] }
        let logger = makeLogger(handler)
        logger.info("served", metadata: ["source": "call"])
        logger.error("failed", error: ModelMissing())

        let lines = try #require(directory.lines(of: directory.logFile))
        #expect(ParsedLogLine(lines[0])?.rest == "served request_id=r-7 source=call worker=1")
        #expect(ParsedLogLine(lines[1])?.rest == #"failed error="no model in data/model" request_id=r-7 source=provider worker=1"#)
    }

    @Test func levelAndMetadataBehaveAsValues() {
        var first = makeLogger(RecLogging.makeFileHandler(label: "first", path: directory.logFile))
        first.logLevel = .debug
        first[metadataKey: "only-on"] = "first"
        var second = first
        second.logLevel = .error
        second[metadataKey: "only-on"] = "second"
        #expect(first.logLevel == .debug)
        #expect(second.logLevel == .error)
        #expect(first[metadataKey: "only-on"] == "first")
        #expect(second[metadataKey: "only-on"] == "second")
    }

    /// A different letter and length per writer, so a line mixed from two writers shows.
    private static func padding(forWriter writer: Int) -> String {
        String(repeating: Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(writer))), count: 100 + writer * 37)
    }

    @Test func concurrentWritersProduceOnlyWholeLines() throws {
        let writers = 8
        let recordsPerWriter = 2_000
        let path = directory.logFile
        runOnThreads(writers) { writer in
            // Each writer has its own descriptor, as a separate process would.
            let logger = makeLogger(RecLogging.makeFileHandler(label: "writer-\(writer)", path: path, processName: "rec-test"))
            let padding = Self.padding(forWriter: writer)
            for sequence in 0..<recordsPerWriter {
                logger.info("record", metadata: ["padding": .string(padding), "sequence": "\(sequence)", "writer": "\(writer)"])
            }
        }

        let lines = try #require(directory.lines(of: path))
        #expect(lines.count == writers * recordsPerWriter)
        var sequencesByWriter = [[Int]](repeating: [], count: writers)
        for line in lines {
            let parsed = try #require(ParsedLogLine(line), "torn line: \(line.prefix(200))")
            let fields = parsed.rest.split(separator: " ")
            try #require(fields.count == 4 && fields[0] == "record", "torn line: \(line.prefix(200))")
            let writer = try #require(Int(fields[3].dropFirst("writer=".count)))
            #expect(parsed.component == "writer-\(writer)")
            #expect(fields[1] == "padding=" + Self.padding(forWriter: writer))
            sequencesByWriter[writer].append(try #require(Int(fields[2].dropFirst("sequence=".count))))
        }
        for sequences in sequencesByWriter {
            #expect(sequences == Array(0..<recordsPerWriter))
        }
    }

    @Test func anExistingLogIsAppendedToNeverTruncated() throws {
        makeLogger(RecLogging.makeFileHandler(label: "first-run", path: directory.logFile)).info("one")
        makeLogger(RecLogging.makeFileHandler(label: "second-run", path: directory.logFile)).info("two")
        let lines = try #require(directory.lines(of: directory.logFile))
        #expect(lines.compactMap { ParsedLogLine($0)?.component } == ["first-run", "second-run"])
    }

    @Test func theFileAndItsFolderAppearWithTheFirstRecord() {
        let path = directory.path + "/nested/data/log_file.log"
        let logger = makeLogger(RecLogging.makeFileHandler(label: "lazy", path: path))
        #expect(!FileManager.default.fileExists(atPath: path))
        logger.info("first")
        #expect(directory.lines(of: path)?.count == 1)
    }

    @Test func aDataDirectoryThatIsAFileFallsBackToStandardError() {
        let notADirectory = directory.path + "/data"
        #expect(FileManager.default.createFile(atPath: notADirectory, contents: Data("x".utf8)))
        let capture = directory.openCaptureFile()
        defer { close(capture) }
        let logger = makeLogger(
            RecLogging.makeFileHandler(
                label: "cli", path: notADirectory + "/log_file.log",
                configuration: LogConfiguration(standardErrorLevel: .error), standardErrorDescriptor: capture))
        for index in 0..<3 { logger.info("record \(index)") }

        let captured = directory.capturedText().split(separator: "\n").map(String.init)
        #expect(captured.count == 4)
        #expect(captured.filter { $0.contains("cannot open the log file") }.count == 1)
        #expect(captured[0].contains("error=\"open(\(notADirectory)/log_file.log): Not a directory\""))
        #expect(captured.dropFirst().compactMap { ParsedLogLine($0)?.rest } == ["record 0", "record 1", "record 2"])
    }

    @Test func anInjectedOpenFailureFallsBackAndIsReportedOnce() {
        let capture = directory.openCaptureFile()
        defer { close(capture) }
        let logger = makeLogger(
            RecLogging.makeFileHandler(
                label: "worker", path: directory.logFile, standardErrorDescriptor: capture))
        SystemCallFaults.$active.withValue(["open": EACCES]) {
            for index in 0..<5 { logger.info("record \(index)") }
        }
        logger.info("after the fault")

        #expect(!FileManager.default.fileExists(atPath: directory.logFile))
        let captured = directory.capturedText().split(separator: "\n").map(String.init)
        #expect(captured.filter { $0.contains("cannot open the log file") && $0.contains("Permission denied") }.count == 1)
        #expect(captured.compactMap { ParsedLogLine($0)?.rest }.filter { $0.hasPrefix("record") || $0 == "after the fault" }.count == 6)
    }

    @Test func anInjectedWriteFailureLosesOnlyThatRecordFromTheFile() throws {
        let logger = makeLogger(RecLogging.makeFileHandler(label: "worker", path: directory.logFile))
        logger.info("before")
        SystemCallFaults.$active.withValue(["write": ENOSPC]) {
            logger.info("during")
        }
        logger.info("after")
        let lines = try #require(directory.lines(of: directory.logFile))
        #expect(lines.compactMap { ParsedLogLine($0)?.rest } == ["before", "after"])
    }

    @Test func bootstrapInstallsOnceAndASecondCallDoesNothing() throws {
        let settings = try RecSettings(environment: [
            "REC_DATA_DIR": directory.path + "/data", "REC_LOG_LEVEL": "debug", "REC_WORKER": "3",
        ])
        let dataDirectory = settings.dataDirectory
        // No other test bootstraps the global logging system, so this call is the first.
        let first = RecLogging.bootstrap(processName: "rec-bootstrap-test", settings: settings, standardErrorLevel: .critical)
        let second = RecLogging.bootstrap(
            processName: "rec-other", settings: try RecSettings(environment: ["REC_DATA_DIR": directory.path + "/other"]),
            standardErrorLevel: .critical)
        #expect(first)
        #expect(!second)
        Logger(label: "bootstrap-test").debug("through the global system")

        let lines = try #require(directory.lines(of: dataDirectory.logFile))
        #expect(lines.count == 2)
        let warning = try #require(lines.first.flatMap(ParsedLogLine.init))
        #expect(warning.level == "warning")
        #expect(warning.component == "settings")
        #expect(
            warning.rest.hasPrefix(
                "REC_WORKER is not a RecServe setting; did you mean REC_WORKERS? suggestion=REC_WORKERS variable=REC_WORKER"))
        let parsed = try #require(lines.last.flatMap(ParsedLogLine.init))
        #expect(parsed.processName == "rec-bootstrap-test")
        #expect(parsed.component == "bootstrap-test")
        #expect(parsed.level == "debug")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/other"))
    }
}
