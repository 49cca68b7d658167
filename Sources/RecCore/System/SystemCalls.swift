#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls RecServe uses for files, maps and locks.
///
/// Each wrapper retries `EINTR`, turns a failure into a `SystemCallError` naming the call and
/// its subject, and honours `SystemCallFaults`, so tests can make any step of, say, a model
/// publish fail and check that nothing half-written is left behind.
public enum SystemCalls {
    /// Throws the fault a test injected for `call` in this task, if any. `package`, so that
    /// `RecFastCGI`'s socket and process wrappers check faults the same way.
    @inline(__always)
    package static func check(_ call: String, _ subject: String) throws(SystemCallError) {
        if let injected = SystemCallFaults.errorNumber(for: call) {
            throw SystemCallError(call: call, subject: subject, errorNumber: injected)
        }
    }

    /// Runs `body` until it returns something other than -1 with `EINTR`; any other failure
    /// throws a `SystemCallError` naming `call` and `subject`.
    @inline(__always)
    package static func retryingInterrupts<Result: BinaryInteger>(
        _ call: String, _ subject: String, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = errno
            if error != EINTR { throw SystemCallError(call: call, subject: subject, errorNumber: error) }
        }
    }

    /// `open(2)`; returns the descriptor.
    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemCallError) -> Int32 {
        try check("open", path)
        return try retryingInterrupts("open", path) { Glibc.open(path, flags, mode) }
    }

    /// `close(2)`; errors are ignored because the descriptor is gone either way.
    public static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// `read(2)` into `buffer`; returns the bytes read, 0 at end of file.
    public static func read(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, subject: String = ""
    ) throws(SystemCallError) -> Int {
        try check("read", subject)
        return try retryingInterrupts("read", subject) { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// `pread(2)` into `buffer` at `offset`; returns the bytes read.
    public static func pread(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, subject: String = ""
    ) throws(SystemCallError) -> Int {
        try check("pread", subject)
        return try retryingInterrupts("pread", subject) { Glibc.pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Writes all of `bytes` with as many `write(2)` calls as it takes.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, subject: String = "") throws(SystemCallError) {
        try check("write", subject)
        var offset = 0
        while offset < bytes.count {
            let written = try retryingInterrupts("write", subject) {
                Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            offset += written
        }
    }

    /// One `write(2)` of `bytes`; returns how many were written. On an `O_APPEND` descriptor
    /// a single call is what keeps lines from different processes apart.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, subject: String = "") throws(SystemCallError) -> Int {
        try check("write", subject)
        return try retryingInterrupts("write", subject) { Glibc.write(descriptor, bytes.baseAddress, bytes.count) }
    }

    /// `fsync(2)`: the data reaches the disk before the call returns.
    public static func fsync(_ descriptor: Int32, subject: String = "") throws(SystemCallError) {
        try check("fsync", subject)
        _ = try retryingInterrupts("fsync", subject) { Glibc.fsync(descriptor) }
    }

    /// `fsync(2)` on a directory, which makes a rename or a new entry in it durable.
    public static func fsyncDirectory(_ path: String) throws(SystemCallError) {
        let descriptor = try open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(descriptor) }
        try fsync(descriptor, subject: path)
    }

    /// `fstat(2)`.
    public static func fileStatus(_ descriptor: Int32, subject: String = "") throws(SystemCallError) -> FileStatus {
        try check("fstat", subject)
        var raw = stat()
        guard cFstat(descriptor, &raw) == 0 else {
            throw SystemCallError(call: "fstat", subject: subject, errorNumber: errno)
        }
        return FileStatus(raw)
    }

    /// `stat(2)`.
    public static func fileStatus(_ path: String) throws(SystemCallError) -> FileStatus {
        try check("stat", path)
        var raw = stat()
        guard cStat(path, &raw) == 0 else {
            throw SystemCallError(call: "stat", subject: path, errorNumber: errno)
        }
        return FileStatus(raw)
    }

    /// Whether `path` names an existing file or folder.
    public static func exists(_ path: String) -> Bool {
        var raw = stat()
        return cStat(path, &raw) == 0
    }

    /// `rename(2)`: atomically replaces `destination` with `source`.
    public static func rename(_ source: String, _ destination: String) throws(SystemCallError) {
        try check("rename", source)
        _ = try retryingInterrupts("rename", "\(source) -> \(destination)") { Glibc.rename(source, destination) }
    }

    /// `unlink(2)`.
    public static func unlink(_ path: String) throws(SystemCallError) {
        try check("unlink", path)
        _ = try retryingInterrupts("unlink", path) { Glibc.unlink(path) }
    }

    /// `mkdir(2)` for `path` and any missing parents; an existing folder is fine.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
        try check("mkdir", path)
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if Glibc.mkdir(prefix, mode) != 0 {
                let error = errno
                if error != EEXIST { throw SystemCallError(call: "mkdir", subject: prefix, errorNumber: error) }
            }
            prefix += "/"
        }
    }

    /// The names in the folder at `path`, without `.` and `..`.
    public static func listDirectory(_ path: String) throws(SystemCallError) -> [String] {
        try check("opendir", path)
        guard let directory = opendir(path) else {
            throw SystemCallError(call: "opendir", subject: path, errorNumber: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `lseek(descriptor, 0, SEEK_CUR)`: the file offset, which after a write to an `O_APPEND`
    /// descriptor is where that write ended.
    public static func currentOffset(_ descriptor: Int32, subject: String = "") throws(SystemCallError) -> Int {
        try check("lseek", subject)
        let offset = lseek(descriptor, 0, SEEK_CUR)
        guard offset >= 0 else { throw SystemCallError(call: "lseek", subject: subject, errorNumber: errno) }
        return Int(offset)
    }

    /// `ftruncate(2)`.
    public static func ftruncate(_ descriptor: Int32, length: Int, subject: String = "") throws(SystemCallError) {
        try check("ftruncate", subject)
        _ = try retryingInterrupts("ftruncate", subject) { Glibc.ftruncate(descriptor, off_t(length)) }
    }

    /// `mmap(2)` of `length` bytes of `descriptor`, read-only and shared, so every process
    /// mapping the same file shares its pages.
    public static func mapReadOnly(_ descriptor: Int32, length: Int, subject: String = "") throws(SystemCallError) -> UnsafeRawPointer {
        try check("mmap", subject)
        let address = Glibc.mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw SystemCallError(call: "mmap", subject: subject, errorNumber: errno)
        }
        return UnsafeRawPointer(address)
    }

    /// `munmap(2)`.
    public static func unmap(_ address: UnsafeRawPointer, length: Int) {
        _ = Glibc.munmap(UnsafeMutableRawPointer(mutating: address), length)
    }

    /// `mmap(2)` of the first `length` bytes of `descriptor`, readable, writable and shared, so
    /// a store through the mapping is seen at once by every process that maps the same file.
    /// The descriptor must be open for reading and writing.
    public static func mapReadWrite(
        _ descriptor: Int32, length: Int, subject: String = ""
    ) throws(SystemCallError) -> UnsafeMutableRawPointer {
        try check("mmap", subject)
        let address = Glibc.mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw SystemCallError(call: "mmap", subject: subject, errorNumber: errno)
        }
        return address
    }

    /// `msync(2)` with `MS_SYNC`: the mapped bytes reach the file on disk before the call
    /// returns. Other processes see stores to a shared mapping without it; this is for durability.
    public static func synchronizeMapping(_ address: UnsafeMutableRawPointer, length: Int, subject: String = "") throws(SystemCallError) {
        try check("msync", subject)
        _ = try retryingInterrupts("msync", subject) { Glibc.msync(address, length, MS_SYNC) }
    }

    /// The path of the running executable, from `/proc/self/exe`, or `nil` where that link
    /// cannot be read.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `clock_gettime(CLOCK_MONOTONIC_COARSE)` in nanoseconds: a clock that never goes back,
    /// read without a system call, precise to a few milliseconds. For rate limits and
    /// periodic checks on hot paths.
    public static func coarseMonotonicNanoseconds() -> Int64 {
        var time = timespec()
        _ = clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// `flock(2)` with `LOCK_EX`, waiting until the lock is free.
    public static func lockExclusive(_ descriptor: Int32, subject: String = "") throws(SystemCallError) {
        try check("flock", subject)
        _ = try retryingInterrupts("flock", subject) { fileLock(descriptor, LOCK_EX) }
    }

    /// `flock(2)` with `LOCK_EX | LOCK_NB`; returns false when another holder has the lock.
    public static func tryLockExclusive(_ descriptor: Int32, subject: String = "") throws(SystemCallError) -> Bool {
        try check("flock", subject)
        while true {
            if fileLock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            let error = errno
            if error == EWOULDBLOCK { return false }
            if error != EINTR { throw SystemCallError(call: "flock", subject: subject, errorNumber: error) }
        }
    }

    /// `flock(2)` with `LOCK_UN`.
    public static func unlock(_ descriptor: Int32) {
        _ = fileLock(descriptor, LOCK_UN)
    }

    /// The process id.
    public static func processID() -> Int32 { getpid() }

    /// Whether a process `processID` exists (`kill(pid, 0)`; one owned by another user counts),
    /// for the shared counters, whose readers ask whether a slot's writer still runs. An
    /// injected `kill` fault makes every process look gone.
    public static func processExists(_ processID: Int32) -> Bool {
        guard processID > 0, SystemCallFaults.errorNumber(for: "kill") == nil else { return false }
        return Glibc.kill(processID, 0) == 0 || errno == EPERM
    }

    /// The number of cores this process may run on (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1:
    /// the default number of FastCGI workers.
    public static func onlineProcessorCount() -> Int {
        max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
    }
}

/// The result of `stat(2)` or `fstat(2)`: the fields RecServe looks at.
public struct FileStatus: Sendable, Equatable {
    /// The file's size in bytes.
    public var size: Int
    /// The inode number, which changes when a path is replaced by a rename.
    public var inode: UInt64
    /// The device number; with `inode`, identifies the file.
    public var device: UInt64
    /// The last modification time, in nanoseconds since the epoch.
    public var modificationNanoseconds: Int64
    /// The last status change (a write, truncation, `chmod`…), in nanoseconds since the
    /// epoch; unlike the modification time, no unprivileged call can set it back.
    public var statusChangeNanoseconds: Int64
    /// Whether the path is a folder.
    public var isDirectory: Bool
    /// Whether the path is a regular file (not a folder, FIFO, socket or device).
    public var isRegularFile: Bool

    fileprivate init(_ raw: stat) {
        size = Int(raw.st_size)
        inode = UInt64(raw.st_ino)
        device = UInt64(raw.st_dev)
        modificationNanoseconds = Int64(raw.st_mtim.tv_sec) * 1_000_000_000 + Int64(raw.st_mtim.tv_nsec)
        statusChangeNanoseconds = Int64(raw.st_ctim.tv_sec) * 1_000_000_000 + Int64(raw.st_ctim.tv_nsec)
        isDirectory = (raw.st_mode & S_IFMT) == S_IFDIR
        isRegularFile = (raw.st_mode & S_IFMT) == S_IFREG
    }

    /// Which file this is and which version of its contents.
    public var identity: FileIdentity {
        FileIdentity(
            device: device, inode: inode, size: size, modificationNanoseconds: modificationNanoseconds,
            statusChangeNanoseconds: statusChangeNanoseconds)
    }
}

// Glibc's functions `stat`, `fstat` and `flock` share their names with structs; typed
// references pick the functions.
private func cStat(_ path: UnsafePointer<CChar>, _ result: UnsafeMutablePointer<stat>) -> Int32 {
    let function: (UnsafePointer<CChar>, UnsafeMutablePointer<stat>) -> Int32 = stat
    return function(path, result)
}

private func cFstat(_ descriptor: Int32, _ result: UnsafeMutablePointer<stat>) -> Int32 {
    let function: (Int32, UnsafeMutablePointer<stat>) -> Int32 = fstat
    return function(descriptor, result)
}

private func fileLock(_ descriptor: Int32, _ operation: Int32) -> Int32 {
    let function: (Int32, Int32) -> Int32 = flock
    return function(descriptor, operation)
}
