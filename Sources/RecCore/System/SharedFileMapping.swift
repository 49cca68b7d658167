#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A small file mapped `MAP_SHARED` for reading and writing, whose 64-bit words several
/// processes load and store atomically: the one mechanism behind the served-generation control
/// file (`data/model/SERVED`) and the pool's shared counters (`data/run/metrics-<n>`).
///
/// Both files open with a header of little-endian 64-bit words whose first is an 8-byte ASCII
/// magic (`magic(_:)`), read with `pread` before anything is mapped (`readHeaderWords`), so a
/// file of the wrong kind is refused without mapping it. The mapping is unmapped when the value
/// is released; the descriptor stays the caller's.
package final class SharedFileMapping: @unchecked Sendable {
    /// The first mapped byte.
    package let base: UnsafeMutableRawPointer
    /// The mapping's length in bytes.
    package let byteCount: Int
    /// What errors name: the file's path, or a description of its descriptor.
    package let subject: String

    /// Maps the first `byteCount` bytes of `descriptor`, which must be open for reading and
    /// writing and at least that long.
    package init(descriptor: Int32, byteCount: Int, subject: String) throws(SystemCallError) {
        self.base = try SystemCalls.mapReadWrite(descriptor, length: byteCount, subject: subject)
        self.byteCount = byteCount
        self.subject = subject
    }

    deinit {
        SystemCalls.unmap(UnsafeRawPointer(base), length: byteCount)
    }

    /// The 64-bit word at `byteOffset` (a multiple of 8), for atomic loads and stores.
    @inline(__always)
    package func word(atByteOffset byteOffset: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        (base + byteOffset).assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// Writes the mapping to disk (`msync`), so what it holds survives a crash or a reboot.
    package func synchronize() throws(SystemCallError) {
        try SystemCalls.synchronizeMapping(base, length: byteCount, subject: subject)
    }

    /// Eight ASCII bytes, such as `RECSERVD`, read as a little-endian 64-bit word: the magic a
    /// file's first word holds.
    package static func magic(_ text: String) -> UInt64 {
        let bytes = Array(text.utf8)
        precondition(bytes.count == 8, "a magic is 8 bytes")
        return UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    }

    /// The first `count` little-endian 64-bit words of the file open on `descriptor`, read with
    /// `pread` (retried until the file ends); `nil` when the file is shorter than that.
    package static func readHeaderWords(_ descriptor: Int32, count: Int, subject: String) throws(SystemCallError) -> [UInt64]? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count * 8, alignment: 8)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let read = try SystemCalls.pread(
                descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), offset: filled, subject: subject)
            if read == 0 { return nil }
            filled += read
        }
        return (0..<count).map { UInt64(littleEndian: buffer.load(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }
}
