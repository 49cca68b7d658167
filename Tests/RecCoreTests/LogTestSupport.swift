import Foundation
import Logging
import RecCore

/// A fresh folder for one logging test, removed with everything in it when the test lets go
/// of it.
final class LogTestDirectory {
    /// The folder's absolute path.
    let path: String

    /// Creates a new empty folder under the system's temporary folder.
    init() throws {
        var template = Array((NSTemporaryDirectory() + "rec-log-test-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw SystemCallError(call: "mkdtemp", subject: NSTemporaryDirectory(), errorNumber: errno)
        }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `<folder>/log_file.log`, the name the data folder uses.
    var logFile: String { path + "/log_file.log" }

    /// The lines of the file at `file`, which must end in a newline; nil when it is missing.
    func lines(of file: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard !text.isEmpty else { return [] }
        var lines = text.components(separatedBy: "\n")
        // A file that ends in a newline leaves one empty piece after it; anything else there is
        // a torn record.
        if lines.last == "" { lines.removeLast() } else { lines.append("<missing final newline>") }
        return lines
    }

    /// The size of the file at `file` in bytes, 0 when it is missing.
    func size(of file: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Opens `<folder>/<name>` for writing, to stand in for standard error.
    func openCaptureFile(named name: String = "stderr.txt") -> Int32 {
        open(path + "/" + name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    }

    /// The text written to the capture file `name`.
    func capturedText(named name: String = "stderr.txt") -> String {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// A `Logger` that writes through `handler` only, without the global bootstrap.
func makeLogger(_ handler: FileLogHandler) -> Logger {
    Logger(label: handler.label) { _ in handler }
}

/// Runs `body(index)` on `count` separate threads at once and waits for all of them.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// The parts of a line the logging tests check, read back with the documented layout.
struct ParsedLogLine: Equatable {
    var level: String
    var processName: String
    var processID: Int
    var component: String
    /// Everything after `component: `: the message and the metadata.
    var rest: String

    /// Parses `time level process[pid] component: rest`; nil when the line has another shape.
    /// (Written out by hand: Swift's `Regex` takes a third of a millisecond per line in debug
    /// builds, which the tests reading 16,000 lines cannot afford.)
    init?(_ line: String) {
        let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count >= 4, Self.isTimestamp(fields[0]) else { return nil }
        let process = fields[2]
        guard let open = process.lastIndex(of: "["), process.last == "]",
            let processID = Int(process[process.index(after: open)..<process.index(before: process.endIndex)])
        else { return nil }
        guard fields[3].last == ":" else { return nil }
        level = String(fields[1])
        processName = String(process[..<open])
        self.processID = processID
        component = String(fields[3].dropLast())
        rest = fields.count == 5 ? String(fields[4]) : ""
        guard !level.isEmpty, level.allSatisfy(\.isLowercase), !processName.isEmpty, !component.isEmpty else { return nil }
    }

    /// Whether `text` has the shape `2026-11-26T18:45:49.123Z`.
    private static func isTimestamp(_ text: Substring) -> Bool {
        let shape = Array("dddd-dd-ddTdd:dd:dd.dddZ")
        let characters = Array(text)
        guard characters.count == shape.count else { return false }
        return zip(characters, shape).allSatisfy { character, expected in
            expected == "d" ? character.isASCII && character.isNumber : character == expected
        }
    }
}
