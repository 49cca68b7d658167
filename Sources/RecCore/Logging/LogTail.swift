#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecSystem

/// Reads the last lines of the log, for `GET /api/log`.
///
/// The log may be many megabytes while a request wants a few lines, so the file is read
/// backwards in blocks with `pread` and reading stops as soon as enough lines are found.
public enum LogTail {
    /// The bytes read per `pread` unless told otherwise: 64 KiB, a few hundred typical lines.
    public static let defaultBlockSize = 64 * 1024

    /// The last `count` lines of the file at `path`, oldest first.
    ///
    /// A missing file has no lines. The line terminator (`\n` or `\r\n`) is removed, a last line
    /// without one still counts, and bytes that are not valid UTF-8 become U+FFFD.
    ///
    /// - Parameters:
    ///   - path: The log file, for example `data/log_file.log`.
    ///   - count: How many lines to return at most; zero or less gives none.
    ///   - includingRotatedFile: When the file has fewer than `count` lines, whether to take the
    ///     rest from the end of the newest rotated file, `path.1`, so a fresh rotation does not
    ///     leave the caller with almost nothing.
    ///   - blockSize: The bytes read per `pread`.
    /// - Throws: `SystemCallError` when the file exists but cannot be read.
    public static func lastLines(
        path: String,
        count: Int,
        includingRotatedFile: Bool = false,
        blockSize: Int = defaultBlockSize
    ) throws(SystemCallError) -> [String] {
        guard count > 0 else { return [] }
        let blockSize = max(blockSize, 1)
        var lines = try lastLineBytes(path: path, count: count, blockSize: blockSize)
        if includingRotatedFile && lines.count < count {
            lines = try lastLineBytes(path: path + ".1", count: count - lines.count, blockSize: blockSize) + lines
        }
        return lines.map { bytes in
            let withoutCarriageReturn = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
            return String(decoding: withoutCarriageReturn, as: UTF8.self)
        }
    }

    /// The raw bytes of the last `count` lines, oldest first, without their `\n`.
    private static func lastLineBytes(path: String, count: Int, blockSize: Int) throws(SystemCallError) -> [[UInt8]] {
        let descriptor: Int32
        do {
            descriptor = try SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC)
        } catch  where error.errorNumber == ENOENT {
            return []
        }
        defer { SystemCalls.close(descriptor) }
        let status = try SystemCalls.fileStatus(descriptor, subject: path)
        if status.isDirectory { throw SystemCallError(call: "read", subject: path, errorNumber: EISDIR) }

        var linesNewestFirst: [[UInt8]] = []
        // The bytes seen so far of the line whose start is not found yet, newest piece first:
        // a line longer than a block spans several.
        var unfinishedLinePieces: [[UInt8]] = []
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: min(blockSize, max(status.size, 1)), alignment: 1)
        defer { block.deallocate() }
        var blockStart = status.size
        let endOfFile = status.size

        func finishLine(_ firstPiece: UnsafeMutableRawBufferPointer.SubSequence) {
            var line = Array(firstPiece)
            for piece in unfinishedLinePieces.reversed() { line.append(contentsOf: piece) }
            unfinishedLinePieces.removeAll()
            linesNewestFirst.append(line)
        }

        while blockStart > 0 && linesNewestFirst.count < count {
            let length = min(blockSize, blockStart)
            blockStart -= length
            let filled = try readFully(
                descriptor, into: UnsafeMutableRawBufferPointer(rebasing: block[0..<length]), offset: blockStart, path: path)
            var lineEnd = filled
            var index = filled - 1
            while index >= 0 && linesNewestFirst.count < count {
                if block[index] == UInt8(ascii: "\n") {
                    // The newline that ends the file only terminates the last line.
                    if blockStart + index != endOfFile - 1 {
                        finishLine(block[(index + 1)..<lineEnd])
                    }
                    lineEnd = index
                }
                index -= 1
            }
            if linesNewestFirst.count < count {
                unfinishedLinePieces.append(Array(block[0..<lineEnd]))
            }
        }
        // At the start of the file, whatever precedes the first newline is the first line.
        if blockStart == 0 && linesNewestFirst.count < count && endOfFile > 0 {
            finishLine(block[0..<0])
        }
        return linesNewestFirst.reversed()
    }

    /// Fills `buffer` from `offset`, retrying short reads; returns how many bytes were read,
    /// fewer than asked only when the file shrank meanwhile.
    private static func readFully(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String
    ) throws(SystemCallError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let read = try SystemCalls.pread(
                descriptor,
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                offset: offset + filled,
                subject: path
            )
            if read == 0 { break }
            filled += read
        }
        return filled
    }
}
