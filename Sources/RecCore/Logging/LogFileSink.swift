#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization
import RecConfiguration
import RecSystem

/// The log file as one process writes it: the open descriptor, rotation and the fallback to
/// standard error, shared by every `FileLogHandler` of that process.
///
/// Each record is one `write(2)` of one whole line to an `O_APPEND` descriptor, so any number
/// of processes can append to the same file without their lines mixing. Before each write the
/// sink checks its own file's size with `fstat`; when it is over the cap, it takes the rotation
/// lock and either rotates (the path still names its file) or reopens the path (another process
/// already rotated). No failure here ever reaches the caller: the record goes to standard error
/// instead and the problem is reported there once.
final class LogFileSink: Sendable {
    /// The problems reported on standard error, each at most once per process.
    enum Problem: Hashable, Sendable {
        case open
        case write
        case rotate
    }

    /// After a failed rotation, how many over-cap records are written before trying again,
    /// so a persistent failure does not add a lock and a rename to every record.
    static let recordsBetweenRotationAttempts = 100

    /// The log file, for example `data/log_file.log`.
    let path: String
    /// The `flock` file that serialises rotation across processes, `data/log_file.log.lock`.
    let lockPath: String
    /// Levels, cap and backup count.
    let configuration: LogConfiguration
    /// The process name every record carries.
    let processName: String
    /// Where records at or above `configuration.standardErrorLevel` also go, and all records
    /// when the file cannot be written. Not closed by the sink.
    let standardErrorDescriptor: Int32

    private struct State {
        var descriptor: Int32 = -1
        var openAttempted = false
        var reportedProblems: Set<Problem> = []
        var rotationChecksToSkip = 0
        /// A torn fragment of an earlier record could not be removed, so the next record must
        /// start with a line break to begin on a line of its own.
        var needsLineBreak = false
    }

    private let state = Mutex(State())

    /// A sink for the log at `path`. The file is opened (and its folder created) when the
    /// first record arrives, so a process that never logs leaves no file behind.
    init(path: String, configuration: LogConfiguration, processName: String, standardErrorDescriptor: Int32) {
        self.path = path
        self.lockPath = path + ".lock"
        self.configuration = configuration
        self.processName = processName
        self.standardErrorDescriptor = standardErrorDescriptor
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { SystemCalls.close(state.descriptor) }
        }
    }

    /// The path of rotated file number `generation`, for example `data/log_file.log.1`.
    private func backupPath(_ generation: Int) -> String {
        "\(path).\(generation)"
    }

    /// Writes `record` to the file, and to standard error when its level asks for it or the
    /// file cannot take it.
    func write(_ record: LogRecord) {
        write(line: LogRecordFormatter.format(record, maximumLineBytes: configuration.maximumLineBytes), level: record.level)
    }

    /// Writes `line`, one finished record ending in `\n`, to the file, and to standard error when
    /// `level` asks for it or the file cannot take it. Hot paths that build their lines with
    /// `LogLineBuilder` come in here, skipping `LogRecord` and its metadata dictionary.
    func write(line: [UInt8], level: Logger.Level) {
        state.withLock { state in
            let inFile = appendToFile(line, &state)
            if !inFile || level >= configuration.standardErrorLevel {
                writeToStandardError(line)
            }
        }
    }

    /// Appends `line` with one `write`; false when the file is unavailable or the write failed.
    private func appendToFile(_ line: [UInt8], _ state: inout State) -> Bool {
        if !state.openAttempted {
            state.openAttempted = true
            openFile(&state)
        }
        guard state.descriptor >= 0 else { return false }
        rotateIfOverCap(&state)
        let descriptor = state.descriptor
        guard descriptor >= 0 else { return false }
        let record = state.needsLineBreak ? [UInt8(ascii: "\n")] + line : line
        // Array.withUnsafeBytes only rethrows untyped errors, so the failure comes out as a value.
        let failure = record.withUnsafeBytes { bytes -> SystemCallError? in
            var written = 0
            do throws(SystemCallError) {
                written = try SystemCalls.write(descriptor, bytes, subject: path)
                if written < bytes.count {
                    // A short write (a nearly full disk) left part of a line: finish it, so the
                    // next record still starts on a line of its own.
                    try SystemCalls.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: bytes[written...]), subject: path)
                }
                return nil
            } catch {
                if written > 0 { state.needsLineBreak = !removeTornTail(descriptor, length: written) }
                return error
            }
        }
        if let failure {
            report(.write, "cannot write to the log file; this record goes to standard error only", failure, &state)
            return false
        }
        state.needsLineBreak = false
        return true
    }

    /// Cuts the `length` bytes this process just appended, part of a record the disk had no
    /// room to finish, off the end of the file; false when another process has appended since
    /// (or the cut fails), so the fragment must be ended by a line break instead. Never leaves
    /// a torn line that the next record would be glued onto.
    private func removeTornTail(_ descriptor: Int32, length: Int) -> Bool {
        guard let end = try? SystemCalls.currentOffset(descriptor, subject: path),
            let size = try? SystemCalls.fileStatus(descriptor, subject: path).size, size == end
        else { return false }
        return (try? SystemCalls.ftruncate(descriptor, length: end - length, subject: path)) != nil
    }

    /// Rotates the file, or follows another process's rotation, when this process's file is
    /// over the cap.
    private func rotateIfOverCap(_ state: inout State) {
        guard let ownStatus = try? SystemCalls.fileStatus(state.descriptor, subject: path),
            ownStatus.size > configuration.maximumFileBytes
        else { return }
        if state.rotationChecksToSkip > 0 {
            state.rotationChecksToSkip -= 1
            return
        }
        do {
            let lockDescriptor = try SystemCalls.open(lockPath, flags: O_RDWR | O_CREAT | O_CLOEXEC)
            defer { SystemCalls.close(lockDescriptor) }
            try SystemCalls.lockExclusive(lockDescriptor, subject: lockPath)
            defer { SystemCalls.unlock(lockDescriptor) }
            if let pathStatus = try statusOfPath(), pathStatus.inode == ownStatus.inode, pathStatus.device == ownStatus.device {
                guard pathStatus.size > configuration.maximumFileBytes else { return }
                try shiftFilesToBackups()
            }
            // Either this process just rotated, or another one did and the descriptor now
            // points at a backup: from here on, write to whatever the path names.
            reopen(&state)
        } catch {
            state.rotationChecksToSkip = Self.recordsBetweenRotationAttempts
            report(.rotate, "cannot rotate the log file; it keeps growing past its cap", error, &state)
        }
    }

    /// `stat` of the log path; nil when it does not exist (another process is mid-rotation or
    /// someone deleted it).
    private func statusOfPath() throws(SystemCallError) -> FileStatus? {
        do {
            return try SystemCalls.fileStatus(path)
        } catch  where error.errorNumber == ENOENT {
            return nil
        }
    }

    /// Renames `.1` to `.2` and so on (the oldest is replaced), then the log to `.1`.
    private func shiftFilesToBackups() throws(SystemCallError) {
        for generation in stride(from: configuration.backupCount - 1, through: 1, by: -1) {
            do {
                try SystemCalls.rename(backupPath(generation), backupPath(generation + 1))
            } catch  where error.errorNumber == ENOENT {
                continue
            }
        }
        try SystemCalls.rename(path, backupPath(1))
    }

    private func reopen(_ state: inout State) {
        SystemCalls.close(state.descriptor)
        state.descriptor = -1
        openFile(&state)
    }

    /// Opens the log for appending, creating it and its folder when missing. It is never
    /// truncated: the log of earlier runs stays.
    private func openFile(_ state: inout State) {
        do {
            if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
                try SystemCalls.makeDirectories(String(path[..<slash]))
            }
            state.descriptor = try SystemCalls.open(path, flags: O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode: 0o644)
        } catch {
            report(.open, "cannot open the log file; logging to standard error only", error, &state)
        }
    }

    /// Writes one line to standard error; a failure there has nowhere left to be reported.
    private func writeToStandardError(_ line: [UInt8]) {
        line.withUnsafeBytes { bytes in
            _ = try? SystemCalls.write(standardErrorDescriptor, bytes, subject: "standard error")
        }
    }

    /// Reports `problem` on standard error the first time it happens in this process.
    private func report(_ problem: Problem, _ message: String, _ error: any Error, _ state: inout State) {
        guard state.reportedProblems.insert(problem).inserted else { return }
        let record = LogRecord(
            timestamp: .now(),
            level: .error,
            processName: processName,
            processID: SystemCalls.processID(),
            component: "logging",
            message: message,
            metadata: ["path": .string(path), "error": .string(String(describing: error))]
        )
        writeToStandardError(LogRecordFormatter.format(record, maximumLineBytes: configuration.maximumLineBytes))
    }
}
