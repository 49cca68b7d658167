#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import RecSystem

/// The pool's shared counters: one file under `$REC_DATA_DIR/run/`, memory-mapped `MAP_SHARED`
/// by the master and every worker, so any worker's `/api/metrics` adds up what the whole pool
/// recorded.
///
/// The master creates it (`create(runDirectory:layout:)`) and hands its descriptor to each
/// worker as descriptor 4; a worker maps it with `attach(descriptor:layout:)`. Each process
/// writes only its own slot (`slot(_:)`), with aligned 64-bit relaxed atomic loads and stores:
/// plain `mov`s on x86-64 and arm64, no lock and no read-modify-write, and a reader on another
/// core never sees half a word. A replacement worker is given the same slot and continues its
/// counts, so totals only grow while the master lives.
///
/// The header page:
///
/// | offset | bytes | field |
/// |---|---|---|
/// | 0 | 8 | magic `RECMETRC` |
/// | 8 | 8 | layout version, 1 |
/// | 16 | 8 | slot count |
/// | 24 | 8 | bytes per slot |
/// | 32 | 8 | `MetricsLayout.fingerprint` of the endpoints and buckets |
/// | 40 | 8 | the master's process id |
///
/// The magic is stored last, so a file is either whole or not recognised.
package final class SharedMetricsFile: @unchecked Sendable {
    /// `RECMETRC` read as a little-endian integer.
    static let magic = SharedFileMapping.magic("RECMETRC")
    /// The layout version this build writes and reads.
    static let layoutVersion: UInt64 = 1

    enum HeaderWord {
        static let magic = 0
        static let layoutVersion = 1
        static let slotCount = 2
        static let slotStride = 3
        static let fingerprint = 4
        static let masterProcessID = 5
    }

    /// The file's path, or a description of the descriptor it was attached by.
    package let path: String
    /// The layout, with the file's slot count.
    package let layout: MetricsLayout
    /// The open descriptor, kept for the mapping's lifetime; the master passes it to workers.
    package let descriptor: Int32
    private let mapping: SharedFileMapping

    init(path: String, layout: MetricsLayout, descriptor: Int32, mapping: SharedFileMapping) {
        self.path = path
        self.layout = layout
        self.descriptor = descriptor
        self.mapping = mapping
    }

    deinit {
        SystemCalls.close(descriptor)
    }

    /// Maps the counters file open on `descriptor` (a worker's descriptor 4), checking that it
    /// was written for `layout`'s endpoints and buckets; its slot count comes from the file.
    /// The descriptor is the file's from then on and is closed with it, or at once on failure.
    package static func attach(descriptor: Int32, layout: MetricsLayout) throws(MetricsError) -> SharedMetricsFile {
        do throws(MetricsError) {
            return try attachOrFail(descriptor: descriptor, layout: layout)
        } catch {
            SystemCalls.close(descriptor)
            throw error
        }
    }

    private static func attachOrFail(descriptor: Int32, layout: MetricsLayout) throws(MetricsError) -> SharedMetricsFile {
        let subject = "metrics descriptor \(descriptor)"
        let status: FileStatus
        do throws(SystemCallError) {
            status = try SystemCalls.fileStatus(descriptor, subject: subject)
        } catch {
            throw MetricsError(.cannotAttach, "cannot read the shared counters file: \(error)", systemCallError: error)
        }
        guard status.isRegularFile, status.size >= layout.headerBytes else {
            throw MetricsError(.cannotAttach, "\(subject) is not a shared counters file (\(status.size) bytes)")
        }
        let header = try readHeader(descriptor, subject: subject)
        let slotCount = Int(clamping: header[HeaderWord.slotCount])
        let fileLayout = layout.withSlotCount(max(slotCount, 1))
        guard header[HeaderWord.magic] == magic, header[HeaderWord.layoutVersion] == layoutVersion,
            header[HeaderWord.fingerprint] == layout.fingerprint, slotCount > 0,
            header[HeaderWord.slotStride] == UInt64(fileLayout.slotStrideBytes), status.size >= fileLayout.fileBytes
        else {
            throw MetricsError(.incompatibleLayout, "\(subject) was written for another layout of the shared counters")
        }
        return try map(descriptor: descriptor, path: subject, layout: fileLayout, errorCode: .cannotAttach)
    }

    /// Maps `layout.fileBytes` of `descriptor` for reading and writing.
    static func map(
        descriptor: Int32, path: String, layout: MetricsLayout, errorCode: MetricsError.Code
    ) throws(MetricsError) -> SharedMetricsFile {
        do throws(SystemCallError) {
            let mapping = try SharedFileMapping(descriptor: descriptor, byteCount: layout.fileBytes, subject: path)
            return SharedMetricsFile(path: path, layout: layout, descriptor: descriptor, mapping: mapping)
        } catch {
            throw MetricsError(errorCode, "cannot map the shared counters file \(path): \(error)", systemCallError: error)
        }
    }

    /// The header's words, read with `pread` before anything is mapped.
    private static func readHeader(_ descriptor: Int32, subject: String) throws(MetricsError) -> [UInt64] {
        let words: [UInt64]?
        do throws(SystemCallError) {
            words = try SharedFileMapping.readHeaderWords(descriptor, count: HeaderWord.masterProcessID + 1, subject: subject)
        } catch {
            throw MetricsError(.cannotAttach, "cannot read the shared counters file: \(error)", systemCallError: error)
        }
        guard let words else { throw MetricsError(.cannotAttach, "\(subject) is shorter than the shared counters' header") }
        return words
    }

    /// The writer of slot `index` (0 is the master's).
    package func slot(_ index: Int) -> SharedMetricsSlot {
        precondition((0..<layout.slotCount).contains(index), "slot \(index) is outside the file's \(layout.slotCount) slots")
        return SharedMetricsSlot(file: self, words: mapping.word(atByteOffset: layout.slotOffset(index)), layout: layout)
    }

    /// Every slot's words as they are now, each word read whole.
    package func readSlots() -> [MetricsSlotValues] {
        (0..<layout.slotCount).map { slot in
            let words = mapping.word(atByteOffset: layout.slotOffset(slot))
            return MetricsSlotValues(words: (0..<layout.wordsPerSlot).map { (words + $0).pointee.load(ordering: .relaxed) })
        }
    }

    /// The sum of every slot, the served generation taken from workers that still run.
    package func snapshot() -> MetricsSnapshot {
        MetricsSnapshot.aggregating(readSlots(), layout: layout, isLive: SystemCalls.processExists)
    }

    /// Stores `value` in header word `index` with release ordering (the creator, before workers
    /// start; the magic goes last, so whoever sees it sees the rest).
    func storeHeader(_ value: UInt64, at index: Int) {
        mapping.word(atByteOffset: index * 8).pointee.store(value, ordering: .releasing)
    }
}
