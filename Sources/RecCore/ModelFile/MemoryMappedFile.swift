#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only and shared into memory, unmapped when the value goes away.
///
/// Mapping instead of reading makes opening cost the same for any file size, and lets every
/// worker process that maps the same model generation share one copy of its pages. The value
/// is non-copyable so exactly one owner unmaps. The file must not shrink while mapped; model
/// generations are immutable, so that holds.
struct MemoryMappedFile: ~Copyable {
    /// The mapped bytes; empty (with no address) for an empty file, which cannot be mapped.
    let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`: `open`, `fstat`, `mmap`, then closes the descriptor, which the
    /// mapping does not need.
    init(path: String) throws(SystemCallError) {
        let descriptor = try SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC)
        defer { SystemCalls.close(descriptor) }
        let status = try SystemCalls.fileStatus(descriptor, subject: path)
        if status.isDirectory { throw SystemCallError(call: "open", subject: path, errorNumber: EISDIR) }
        guard status.size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = try SystemCalls.mapReadOnly(descriptor, length: status.size, subject: path)
        bytes = UnsafeRawBufferPointer(start: address, count: status.size)
    }

    deinit {
        if let address = bytes.baseAddress { SystemCalls.unmap(address, length: bytes.count) }
    }
}
