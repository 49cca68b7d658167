#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import RecSystem

/// The shared control file `data/model/SERVED`: which model generation every API worker, in
/// every container sharing `data/`, serves.
///
/// One page, memory-mapped `MAP_SHARED` by each worker, so a worker learns of a reload with
/// one atomic load per request instead of a file read, and a reload reaches every process
/// that maps the file the moment it is stored.
///
/// | offset | bytes | field |
/// |---|---|---|
/// | 0 | 8 | magic `RECSERVD` |
/// | 8 | 4 | layout version, 1 (little-endian) |
/// | 16 | 8 | change count: raised by every store, so a worker can tell that something changed |
/// | 24 | 8 | served generation, 0 for none |
/// | 32 | 8 | when the last store happened, nanoseconds since the Unix epoch |
/// | 40 | 4 | the process id of the last writer |
///
/// The rest of the page is zero. Writers store the generation first and then raise the change
/// count with release ordering; readers load the change count with acquire ordering and, only
/// when it changed, the generation. Every writer holds the model folder's `.lock` (see
/// `ModelStore`). The file is created when missing and updated in place, never replaced by a
/// rename, because a replaced file would leave every existing mapping looking at the old one.
package final class ServedModelControlFile: @unchecked Sendable {
    /// The file name inside the model folder.
    static let fileName = "SERVED"
    /// The size of the file and of its mapping: one page.
    static let byteCount = 4096
    /// `RECSERVD` read as a little-endian integer.
    static let magic = SharedFileMapping.magic("RECSERVD")
    /// The layout this build reads and writes.
    static let layoutVersion: UInt32 = 1

    private enum Offset {
        static let magic = 0
        static let layoutVersion = 8
        static let changeCount = 16
        static let generation = 24
        static let updatedAtNanoseconds = 32
        static let writerProcessID = 40
    }

    /// The file's path.
    package let path: String
    /// The mapped file when it was mapped; only its device and inode matter, since the pool
    /// writes the file in place all the time, so `isSameFile(as:)` notices a replaced path.
    package let identity: FileIdentity
    private let mapping: SharedFileMapping

    /// The path of the control file in the model folder `modelDirectory`.
    package static func path(inModelDirectory modelDirectory: String) -> String {
        modelDirectory + "/" + fileName
    }

    /// Maps the control file of `store`'s folder, creating or repairing it first when needed.
    ///
    /// Holding the folder's lock, it opens the file (creating it), extends it to one page if it
    /// is shorter, and maps it. A file without the magic bytes (new, or overwritten by
    /// something else) is initialised with the generation `CURRENT` names, or 0 when there is
    /// no readable `CURRENT`, and synced to disk before the lock is released.
    package static func attach(store: ModelStore) throws(ModelFileError) -> ServedModelControlFile {
        try store.withExclusiveLock { () throws(ModelFileError) in try attachHoldingLock(store: store) }
    }

    /// `attach(store:)` for a caller that already holds the folder's lock.
    package static func attachHoldingLock(store: ModelStore) throws(ModelFileError) -> ServedModelControlFile {
        let path = path(inModelDirectory: store.directory)
        let file: ServedModelControlFile
        do throws(SystemCallError) {
            let descriptor = try SystemCalls.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o644)
            defer { SystemCalls.close(descriptor) }
            let status = try SystemCalls.fileStatus(descriptor, subject: path)
            if status.isDirectory { throw SystemCallError(call: "open", subject: path, errorNumber: EISDIR) }
            if status.size < byteCount {
                try SystemCalls.ftruncate(descriptor, length: byteCount, subject: path)
            }
            let mapping = try SharedFileMapping(descriptor: descriptor, byteCount: byteCount, subject: path)
            file = ServedModelControlFile(path: path, mapping: mapping, identity: status.identity)
            if file.atomic(Offset.magic).pointee.load(ordering: .acquiring) != magic {
                try file.initialize(generation: (try? store.currentGeneration()) ?? 0)
            }
        } catch {
            throw ModelFileError(error, path: path)
        }
        let version = file.layoutVersion
        guard version == layoutVersion else {
            throw ModelFileError(
                .unsupportedVersion, path: path,
                reason: "the control file has layout version \(version); this build reads version \(layoutVersion)")
        }
        return file
    }

    /// The generation the control file in `modelDirectory` names, read with `pread` and no lock
    /// (for pruning, which already holds the folder's lock); `nil` when there is no control
    /// file, it has never been initialised, or it names no generation.
    package static func servedGeneration(inModelDirectory modelDirectory: String) throws(ModelFileError) -> Int? {
        let path = path(inModelDirectory: modelDirectory)
        let header: [UInt64]?
        do throws(SystemCallError) {
            let descriptor = try SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC)
            defer { SystemCalls.close(descriptor) }
            header = try SharedFileMapping.readHeaderWords(descriptor, count: Offset.writerProcessID / 8 + 1, subject: path)
        } catch  where error.errorNumber == ENOENT {
            return nil
        } catch {
            throw ModelFileError(error, path: path)
        }
        guard let header, header[Offset.magic / 8] == magic else { return nil }
        let generation = header[Offset.generation / 8]
        return generation > 0 && generation <= UInt64(Int.max) ? Int(generation) : nil
    }

    private init(path: String, mapping: SharedFileMapping, identity: FileIdentity) {
        self.path = path
        self.mapping = mapping
        self.identity = identity
    }

    /// The change count, loaded with acquire ordering: the one load a worker makes per request.
    @inline(__always)
    package var changeCount: UInt64 { atomic(Offset.changeCount).pointee.load(ordering: .acquiring) }

    /// The served generation, or `nil` when none is served.
    package var generation: Int? {
        let value = atomic(Offset.generation).pointee.load(ordering: .acquiring)
        return value > 0 && value <= UInt64(Int.max) ? Int(value) : nil
    }

    /// Makes `generation` the served one and raises the change count; returns the new change
    /// count. Every process mapping the file sees it at once; `synchronize()` makes it durable.
    /// The caller holds the model folder's lock.
    @discardableResult
    package func store(generation: Int) -> UInt64 {
        precondition(generation >= 0, "generations are not negative")
        let now = SystemCalls.wallClockTime()
        atomic(Offset.generation).pointee.store(UInt64(generation), ordering: .releasing)
        atomic(Offset.updatedAtNanoseconds).pointee.store(
            UInt64(bitPattern: Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)),
            ordering: .relaxed)
        mapping.base.storeBytes(
            of: UInt32(bitPattern: SystemCalls.processID()).littleEndian, toByteOffset: Offset.writerProcessID, as: UInt32.self)
        return atomic(Offset.changeCount).pointee.add(1, ordering: .acquiringAndReleasing).newValue
    }

    /// Writes the page to disk (`msync`), so the served generation survives a crash or reboot.
    package func synchronize() throws(SystemCallError) {
        try mapping.synchronize()
    }

    /// Writes a fresh page that serves `generation`, the magic bytes last, and syncs it.
    private func initialize(generation: Int) throws(SystemCallError) {
        mapping.base.storeBytes(of: Self.layoutVersion.littleEndian, toByteOffset: Offset.layoutVersion, as: UInt32.self)
        atomic(Offset.changeCount).pointee.store(0, ordering: .relaxed)
        store(generation: generation)
        atomic(Offset.magic).pointee.store(Self.magic, ordering: .releasing)
        try synchronize()
    }

    /// The layout version the page says it has.
    private var layoutVersion: UInt32 {
        UInt32(littleEndian: mapping.base.load(fromByteOffset: Offset.layoutVersion, as: UInt32.self))
    }

    @inline(__always)
    private func atomic(_ offset: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        mapping.word(atByteOffset: offset)
    }
}
