/// The words of one slot of the shared counters file, copied out at one moment: what one
/// process of the pool has recorded.
///
/// A plain value, so `MetricsSnapshot` aggregates slots without touching the file and tests
/// build slots by hand with the layout's word indices.
package struct MetricsSlotValues: Sendable, Equatable {
    /// The slot's words, `layout.wordsPerSlot` of them.
    package var words: [UInt64]

    /// A slot of `layout` with every word zero.
    package init(layout: MetricsLayout) {
        words = Array(repeating: 0, count: layout.wordsPerSlot)
    }

    /// A slot holding `words`.
    package init(words: [UInt64]) {
        self.words = words
    }

    /// The process id of the slot's writer, 0 when none has written it.
    package var processID: Int32 { Int32(truncatingIfNeeded: words[MetricsLayout.Word.processID]) }

    /// Adds one request to `endpoint` answered with `status` after `nanoseconds`, as a worker does
    /// in the file (for tests).
    package mutating func recordRequest(endpoint: Int, status: Int, nanoseconds: Int64, layout: MetricsLayout) {
        words[layout.requestWord(endpoint: endpoint, status: status)] &+= 1
        words[layout.bucketWord(endpoint: endpoint, bucket: layout.bucket(forNanoseconds: nanoseconds))] &+= 1
        words[layout.durationSumWord(endpoint: endpoint)] &+= UInt64(max(nanoseconds, 0))
    }
}
