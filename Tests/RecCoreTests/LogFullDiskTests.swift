import Foundation
import Logging
import RecCore
import Testing

/// A log on a full disk: a record the disk has no room to finish is cut off again, so no torn
/// line stays behind for the next record to be glued onto once space returns. Needs root, to
/// mount a small tmpfs.
@Suite(.serialized, .enabled(if: geteuid() == 0, "mounting a small tmpfs needs root"))
struct LogFullDiskTests {
    @Test func aRecordThatDoesNotFitLeavesNoTornLine() throws {
        let directory = try LogTestDirectory()
        #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", directory.path]) == 0)
        defer { _ = Self.run("/bin/umount", ["-l", directory.path]) }
        // Leave the log one page: the filler takes the rest of the 16 KiB.
        let filler = directory.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: Data(count: 12 * 1024))
        let capturePath = NSTemporaryDirectory() + "rec-log-full-disk-stderr-\(UUID().uuidString).txt"
        let capture = open(capturePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer {
            close(capture)
            unlink(capturePath)
        }
        let logger = makeLogger(
            RecLogging.makeFileHandler(
                label: "full-disk", path: directory.logFile, configuration: LogConfiguration(), processName: "rec-test",
                standardErrorDescriptor: capture))
        let padding = String(repeating: "x", count: 60)
        for sequence in 0..<80 { logger.info("record sequence=\(sequence) padding=\(padding)") }
        #expect(directory.size(of: directory.logFile) <= 4096, "the disk was full")

        // Space returns; the next records start on lines of their own.
        try FileManager.default.removeItem(atPath: filler)
        for sequence in 80..<85 { logger.info("record sequence=\(sequence) padding=\(padding)") }
        let lines = try #require(directory.lines(of: directory.logFile))
        #expect(lines.count > 5)
        for line in lines {
            let rest = ParsedLogLine(line)?.rest
            #expect(rest?.hasPrefix("record sequence=") == true && rest?.hasSuffix(padding) == true, "torn or glued: \(line)")
        }
        #expect(lines.suffix(5).compactMap { ParsedLogLine($0)?.rest }.allSatisfy { $0.contains("sequence=8") })
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
