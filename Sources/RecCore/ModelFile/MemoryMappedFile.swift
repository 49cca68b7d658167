#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecSystem

/// A whole file mapped read-only and shared into memory, unmapped when the value goes away.
///
/// Mapping instead of reading makes opening cost the same for any file size, and lets every
/// worker process that maps the same model generation share one copy of its pages. The value
/// is non-copyable so exactly one owner unmaps.
///
/// Published generations are immutable, but someone with write access to the folder may still
/// change a file in place. So the descriptor stays open and the file's identity at mapping time
/// is kept: `isUnchanged` compares it with a fresh `fstat`, and the mapping is registered with
/// `MappingFaultGuard`, which turns a read past a truncation into zero pages and a flag instead
/// of a `SIGBUS`.
struct MemoryMappedFile: ~Copyable {
    /// The mapped bytes; empty (with no address) for an empty file, which cannot be mapped.
    let bytes: UnsafeRawBufferPointer
    /// The file's identity when it was mapped.
    let identity: FileIdentity
    private let descriptor: Int32
    private let guardSlot: Int?

    /// Maps the regular file at `path`: `open` (never following a symbolic link, and without
    /// blocking on a FIFO), `fstat`, `mmap`.
    init(path: String) throws(SystemCallError) {
        let descriptor = try SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        let status: FileStatus
        var mapped = UnsafeRawBufferPointer(start: nil, count: 0)
        do throws(SystemCallError) {
            status = try SystemCalls.fileStatus(descriptor, subject: path)
            if status.isDirectory { throw SystemCallError(call: "open", subject: path, errorNumber: EISDIR) }
            if !status.isRegularFile { throw SystemCallError(call: "open", subject: path, errorNumber: EINVAL) }
            if status.size > 0 {
                mapped = UnsafeRawBufferPointer(
                    start: try SystemCalls.mapReadOnly(descriptor, length: status.size, subject: path),
                    count: status.size)
            }
        } catch {
            SystemCalls.close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        identity = status.identity
        bytes = mapped
        guardSlot = MappingFaultGuard.register(mapped)
    }

    /// Whether the file is still what was mapped: same identity on a fresh `fstat`, and no
    /// read of the mapping faulted because it shrank.
    var isUnchanged: Bool {
        if let guardSlot, MappingFaultGuard.isDamaged(guardSlot) { return false }
        return (try? SystemCalls.fileStatus(descriptor).identity) == identity
    }

    deinit {
        if let guardSlot { MappingFaultGuard.unregister(guardSlot) }
        if let address = bytes.baseAddress { SystemCalls.unmap(address, length: bytes.count) }
        SystemCalls.close(descriptor)
    }
}
