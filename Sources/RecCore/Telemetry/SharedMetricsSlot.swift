import Synchronization

/// The writer of one slot of the shared counters file: the only code that changes the slot.
///
/// One process writes a slot, from one thread (the workers and the master are single-threaded),
/// so an addition is a relaxed load and a relaxed store of an aligned 64-bit word, no atomic
/// read-modify-write: the value is never torn for a reader, and no other writer can interleave.
/// A second thread writing the same slot would lose counts, never corrupt memory.
package struct SharedMetricsSlot: @unchecked Sendable {
    /// The file, kept alive as long as the slot is used.
    private let file: SharedMetricsFile
    private let words: UnsafeMutablePointer<Atomic<UInt64>>
    /// The file's layout.
    package let layout: MetricsLayout

    init(file: SharedMetricsFile, words: UnsafeMutablePointer<Atomic<UInt64>>, layout: MetricsLayout) {
        self.file = file
        self.words = words
        self.layout = layout
    }

    /// Adds `amount` to word `index`, wrapping past 2⁶⁴ as Prometheus counters may.
    @inline(__always)
    package func add(_ amount: UInt64, toWord index: Int) {
        let word = words + index
        word.pointee.store(word.pointee.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Sets word `index` to `value` (a gauge).
    @inline(__always)
    package func set(_ value: UInt64, word index: Int) {
        (words + index).pointee.store(value, ordering: .relaxed)
    }

    /// Word `index` as it is now.
    package func value(ofWord index: Int) -> UInt64 {
        (words + index).pointee.load(ordering: .relaxed)
    }

    /// Marks `processID` as the slot's writer. A replacement worker does this and keeps every
    /// count its predecessor left, so the pool's totals never go back.
    package func claim(processID: Int32) {
        set(UInt64(UInt32(bitPattern: processID)), word: MetricsLayout.Word.processID)
    }

    /// Counts one request to `endpoint` answered with `status` after `nanoseconds`: its status
    /// count, its duration bucket and the duration sum. A status outside 100…599 is not counted.
    @inline(__always)
    package func recordRequest(endpoint: Int, status: Int, nanoseconds: Int64) {
        guard MetricsLayout.statusRange.contains(status) else { return }
        add(1, toWord: layout.requestWord(endpoint: endpoint, status: status))
        recordDuration(endpoint: endpoint, nanoseconds: nanoseconds)
    }

    /// Adds `nanoseconds` to `endpoint`'s duration histogram.
    @inline(__always)
    package func recordDuration(endpoint: Int, nanoseconds: Int64) {
        add(1, toWord: layout.bucketWord(endpoint: endpoint, bucket: layout.bucket(forNanoseconds: nanoseconds)))
        add(UInt64(max(nanoseconds, 0)), toWord: layout.durationSumWord(endpoint: endpoint))
    }
}
