import Foundation
import RecCore
import Testing

struct LogTailTests {
    /// A fresh folder for each test; Swift Testing makes a new suite value per test and keeps
    /// it until the test ends.
    private let directory: LogTestDirectory

    init() throws {
        directory = try LogTestDirectory()
    }

    /// Writes `bytes` to `<folder>/<name>` and returns its path.
    private func write(_ bytes: [UInt8], named name: String = "log_file.log") -> String {
        let path = directory.path + "/" + name
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    private func write(_ text: String, named name: String = "log_file.log") -> String {
        write(Array(text.utf8), named: name)
    }

    /// What the tail must equal: the whole file split on `\n`, without the empty piece after a
    /// final newline, `\r` dropped before `\n`.
    private func expectedLastLines(of bytes: [UInt8], count: Int) -> [String] {
        guard !bytes.isEmpty, count > 0 else { return [] }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines.suffix(count).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
        }
    }

    @Test func aMissingFileHasNoLines() throws {
        #expect(try LogTail.lastLines(path: directory.path + "/absent.log", count: 20).isEmpty)
        #expect(try LogTail.lastLines(path: directory.path + "/absent.log", count: 20, includingRotatedFile: true).isEmpty)
    }

    @Test func anEmptyFileHasNoLines() throws {
        #expect(try LogTail.lastLines(path: write(""), count: 5).isEmpty)
    }

    @Test func countZeroOrLessGivesNoLines() throws {
        let path = write("a\nb\n")
        #expect(try LogTail.lastLines(path: path, count: 0).isEmpty)
        #expect(try LogTail.lastLines(path: path, count: -3).isEmpty)
    }

    @Test func countOneGivesTheLastLine() throws {
        #expect(try LogTail.lastLines(path: write("a\nb\nc\n"), count: 1) == ["c"])
    }

    @Test func aLastLineWithoutANewlineStillCounts() throws {
        let path = write("first\nsecond\nunfinished")
        #expect(try LogTail.lastLines(path: path, count: 2) == ["second", "unfinished"])
        #expect(try LogTail.lastLines(path: path, count: 10) == ["first", "second", "unfinished"])
    }

    @Test func carriageReturnsBeforeNewlinesAreRemoved() throws {
        let path = write("one\r\ntwo\r\nthree\r\n")
        #expect(try LogTail.lastLines(path: path, count: 2) == ["two", "three"])
    }

    @Test func emptyLinesAreKept() throws {
        #expect(try LogTail.lastLines(path: write("\n\nabc\n\n"), count: 10) == ["", "", "abc", ""])
        #expect(try LogTail.lastLines(path: write("\n", named: "newline.log"), count: 10) == [""])
    }

    @Test func aFileSmallerThanABlockIsReadWhole() throws {
        let path = write("a\nb\nc\n")
        #expect(try LogTail.lastLines(path: path, count: 1_000) == ["a", "b", "c"])
    }

    @Test func aThousandLinesFromALargerFile() throws {
        let text = (0..<5_000).map { "line \($0) " + String(repeating: "x", count: $0 % 97) }.joined(separator: "\n") + "\n"
        let path = write(text)
        let lines = try LogTail.lastLines(path: path, count: 1_000)
        #expect(lines.count == 1_000)
        #expect(lines == expectedLastLines(of: Array(text.utf8), count: 1_000))
        #expect(lines.first?.hasPrefix("line 4000 ") == true)
        #expect(lines.last?.hasPrefix("line 4999 ") == true)
    }

    @Test func linesLongerThanTheBlockAreJoined() throws {
        let long = String(repeating: "0123456789", count: 30_000)
        let path = write("short\n\(long)\nafter\n\(long)")
        #expect(try LogTail.lastLines(path: path, count: 3) == [long, "after", long])
        #expect(try LogTail.lastLines(path: path, count: 4, blockSize: 7) == ["short", long, "after", long])
    }

    @Test func invalidUTF8IsReplacedNotFatal() throws {
        let path = write(Array("ok\nbad ".utf8) + [0xFF, 0xC3] + Array("\nMisérables\n".utf8))
        #expect(try LogTail.lastLines(path: path, count: 3) == ["ok", "bad \u{FFFD}\u{FFFD}", "Misérables"])
    }

    @Test func agreesWithSplittingTheWholeFileForEveryBlockSize() throws {
        var generator = SeededRandomNumberGenerator(seed: 7)
        let alphabet = Array("ab\n\n\r\u{E9}".utf8)
        for round in 0..<40 {
            let length = Int(generator.next() % 300)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let path = write(bytes, named: "random-\(round).log")
            for blockSize in [1, 2, 3, 5, 16, 64, 4_096] {
                for count in [1, 2, 5, 40, 1_000] {
                    #expect(
                        try LogTail.lastLines(path: path, count: count, blockSize: blockSize) == expectedLastLines(of: bytes, count: count),
                        "round \(round), block \(blockSize), count \(count)"
                    )
                }
            }
        }
    }

    @Test func theRotatedFileFillsUpAShortCurrentFile() throws {
        let path = write("new 1\nnew 2\n")
        _ = write("old 1\nold 2\nold 3\n", named: "log_file.log.1")
        #expect(try LogTail.lastLines(path: path, count: 4, includingRotatedFile: true) == ["old 2", "old 3", "new 1", "new 2"])
        #expect(try LogTail.lastLines(path: path, count: 4) == ["new 1", "new 2"])
        #expect(try LogTail.lastLines(path: path, count: 2, includingRotatedFile: true) == ["new 1", "new 2"])
    }

    @Test func aFolderIsAnErrorNotAnEmptyLog() throws {
        #expect(throws: SystemCallError.self) { try LogTail.lastLines(path: directory.path, count: 5) }
    }

    @Test(.timeLimit(.minutes(1)))
    func onlyTheEndOfAHugeFileIsRead() throws {
        // A 64 GiB sparse file: reading it whole would take minutes and more memory than
        // the machine has; the tail needs one block.
        let path = write("")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 64 << 30)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nlast but one\nlast\n".utf8))
        try handle.close()
        #expect(try LogTail.lastLines(path: path, count: 2) == ["last but one", "last"])
    }
}
