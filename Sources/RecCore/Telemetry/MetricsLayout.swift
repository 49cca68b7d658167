/// Where each number lives in the shared counters file: a header page, then one slot per
/// process of the pool (slot 0 the master's, slot `n` the worker of pool slot `n - 1`).
///
/// A slot is an array of aligned little-endian 64-bit words, rounded up to whole pages so no
/// two processes ever write to the same page or cache line:
///
/// | words | what |
/// |---|---|
/// | 0 | the process id of the slot's current writer |
/// | 1, 2 | the served generation and its file's size (gauges; workers only) |
/// | 3, 4, 5 | reloads, refused reloads, worker restarts |
/// | 6, 7 | unused, zero |
/// | then `endpoints.count × 500` | requests by endpoint and status 100…599 |
/// | then `endpoints.count × (buckets + 2)` | per endpoint: the count of each bucket (the last is `+Inf`), then the sum of durations in nanoseconds |
///
/// Bucket counts are stored per bucket, not cumulatively, so recording one request changes
/// three words: its status count, its bucket and the sum.
package struct MetricsLayout: Sendable, Equatable {
    /// The page size the header and each slot are rounded up to.
    package static let pageBytes = 4096
    /// The statuses that have their own count.
    package static let statusRange = 100...599
    /// The slot the master writes.
    package static let masterSlot = 0
    /// The default upper bounds of the duration histogram, from 0.1 ms to 10 s: most answers
    /// take 0.1 to 0.5 ms in the worker, so the finest buckets are below the usual 0.5 ms.
    package static let defaultBucketBoundsNanoseconds: [Int64] = [
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000,
        500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000,
    ]

    /// The words at the start of every slot.
    package enum Word {
        /// The process id of the slot's writer.
        package static let processID = 0
        /// The generation the writer serves, 0 for none.
        package static let servedGeneration = 1
        /// The size of that generation's file.
        package static let modelFileBytes = 2
        /// Reloads that took effect.
        package static let reloads = 3
        /// Reloads refused.
        package static let refusedReloads = 4
        /// Workers replaced (the master's slot).
        package static let workerRestarts = 5
        /// How many words the fixed part takes.
        package static let fixedCount = 8
    }

    /// The `endpoint` label values, in slot order.
    package let endpoints: [String]
    /// The histogram's upper bounds in nanoseconds, ascending; `+Inf` is implied.
    package let bucketBoundsNanoseconds: [Int64]
    /// How many slots the file has: the master's and one per worker.
    package let slotCount: Int

    /// A layout for `endpoints` with `slotCount` slots.
    package init(endpoints: [String], bucketBoundsNanoseconds: [Int64] = defaultBucketBoundsNanoseconds, slotCount: Int) {
        precondition(!endpoints.isEmpty && slotCount > 0, "a layout needs an endpoint and a slot")
        precondition(zip(bucketBoundsNanoseconds, bucketBoundsNanoseconds.dropFirst()).allSatisfy { $0 < $1 }, "bounds ascend")
        self.endpoints = endpoints
        self.bucketBoundsNanoseconds = bucketBoundsNanoseconds
        self.slotCount = slotCount
    }

    /// The same layout with `slotCount` slots.
    package func withSlotCount(_ slotCount: Int) -> MetricsLayout {
        MetricsLayout(endpoints: endpoints, bucketBoundsNanoseconds: bucketBoundsNanoseconds, slotCount: slotCount)
    }

    /// The file slot of the worker in pool slot `poolSlot`.
    package static func workerSlot(poolSlot: Int) -> Int { poolSlot + 1 }

    /// How many buckets each histogram has, `+Inf` included.
    package var bucketCount: Int { bucketBoundsNanoseconds.count + 1 }
    /// How many words each endpoint's histogram takes: its buckets and the sum.
    private var histogramWords: Int { bucketCount + 1 }
    private var firstHistogramWord: Int { Word.fixedCount + endpoints.count * Self.statusRange.count }

    /// The word counting requests to `endpoint` answered with `status` (within `statusRange`).
    @inline(__always)
    package func requestWord(endpoint: Int, status: Int) -> Int {
        Word.fixedCount + endpoint * Self.statusRange.count + (status - Self.statusRange.lowerBound)
    }

    /// The word counting `endpoint`'s requests in `bucket` (`bucketCount - 1` is `+Inf`).
    @inline(__always)
    package func bucketWord(endpoint: Int, bucket: Int) -> Int { firstHistogramWord + endpoint * histogramWords + bucket }

    /// The word summing `endpoint`'s durations in nanoseconds.
    @inline(__always)
    package func durationSumWord(endpoint: Int) -> Int { firstHistogramWord + endpoint * histogramWords + bucketCount }

    /// The bucket a duration of `nanoseconds` falls in: the first whose bound it does not exceed.
    @inline(__always)
    package func bucket(forNanoseconds nanoseconds: Int64) -> Int {
        var bucket = 0
        while bucket < bucketBoundsNanoseconds.count && nanoseconds > bucketBoundsNanoseconds[bucket] { bucket += 1 }
        return bucket
    }

    /// How many words one slot uses.
    package var wordsPerSlot: Int { firstHistogramWord + endpoints.count * histogramWords }
    /// The bytes between the starts of two slots: whole pages.
    package var slotStrideBytes: Int { Self.roundedToPages(wordsPerSlot * 8) }
    /// The bytes of the header.
    package var headerBytes: Int { Self.pageBytes }
    /// The size of the whole file.
    package var fileBytes: Int { headerBytes + slotCount * slotStrideBytes }
    /// The byte offset of slot `slot`.
    package func slotOffset(_ slot: Int) -> Int { headerBytes + slot * slotStrideBytes }

    /// A 64-bit FNV-1a hash of the endpoints and bounds, stored in the header, so a file written
    /// by a build with other endpoints or buckets is refused instead of misread.
    package var fingerprint: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for endpoint in endpoints {
            for byte in endpoint.utf8 { mix(byte) }
            mix(0)
        }
        for bound in bucketBoundsNanoseconds {
            withUnsafeBytes(of: bound.littleEndian) { for byte in $0 { mix(byte) } }
        }
        return hash
    }

    private static func roundedToPages(_ bytes: Int) -> Int { (bytes + pageBytes - 1) / pageBytes * pageBytes }
}
