/// What `/api/metrics` reports: every slot of the shared counters file added up.
///
/// `aggregating(_:layout:isLive:)` is a pure function of the slots, so tests check the sums
/// without a file, and `PrometheusText` renders the result.
package struct MetricsSnapshot: Sendable, Equatable {
    /// Requests answered by one endpoint with one status.
    package struct RequestCount: Sendable, Equatable {
        /// The `endpoint` label.
        package var endpoint: String
        /// The HTTP status.
        package var status: Int
        /// How many, over every process.
        package var count: UInt64

        /// A count of `count` requests to `endpoint` answered with `status`.
        package init(endpoint: String, status: Int, count: UInt64) {
            self.endpoint = endpoint
            self.status = status
            self.count = count
        }
    }

    /// One endpoint's duration histogram.
    package struct DurationHistogram: Sendable, Equatable {
        /// The `endpoint` label.
        package var endpoint: String
        /// Requests at or under each bound of `bucketBoundsSeconds`, then all of them (`+Inf`).
        package var cumulativeCounts: [UInt64]
        /// The sum of the durations, in nanoseconds.
        package var sumNanoseconds: UInt64
        /// How many requests: the `+Inf` bucket.
        package var count: UInt64 { cumulativeCounts.last ?? 0 }

        /// A histogram of `endpoint` with these counts and sum.
        package init(endpoint: String, cumulativeCounts: [UInt64], sumNanoseconds: UInt64) {
            self.endpoint = endpoint
            self.cumulativeCounts = cumulativeCounts
            self.sumNanoseconds = sumNanoseconds
        }
    }

    /// The histogram's upper bounds in seconds (`+Inf` not included).
    package var bucketBoundsSeconds: [Double]
    /// Every endpoint and status with at least one request, in layout order, then by status.
    package var requests: [RequestCount]
    /// Every endpoint with at least one request, in layout order.
    package var durations: [DurationHistogram]
    /// The highest generation a live process serves, 0 for none.
    package var servedGeneration: UInt64
    /// The size of that generation's file, 0 for none.
    package var modelFileBytes: UInt64
    /// Reloads that took effect.
    package var reloads: UInt64
    /// Reloads refused.
    package var refusedReloads: UInt64
    /// Workers replaced.
    package var workerRestarts: UInt64

    /// A snapshot with these values.
    package init(
        bucketBoundsSeconds: [Double], requests: [RequestCount], durations: [DurationHistogram], servedGeneration: UInt64,
        modelFileBytes: UInt64, reloads: UInt64, refusedReloads: UInt64, workerRestarts: UInt64
    ) {
        self.bucketBoundsSeconds = bucketBoundsSeconds
        self.requests = requests
        self.durations = durations
        self.servedGeneration = servedGeneration
        self.modelFileBytes = modelFileBytes
        self.reloads = reloads
        self.refusedReloads = refusedReloads
        self.workerRestarts = workerRestarts
    }

    /// The sum of `slots`, read with `layout`. Counters and histograms add up every slot, live or
    /// not, so the counts of a worker that died stay in; the served generation is the highest
    /// among slots whose writer `isLive` says still runs, since a dead worker serves nothing.
    package static func aggregating(_ slots: [MetricsSlotValues], layout: MetricsLayout, isLive: (Int32) -> Bool) -> MetricsSnapshot {
        var total = [UInt64](repeating: 0, count: layout.wordsPerSlot)
        var generation: UInt64 = 0
        var fileBytes: UInt64 = 0
        for slot in slots where slot.words.count == layout.wordsPerSlot {
            for index in total.indices { total[index] &+= slot.words[index] }
            let served = slot.words[MetricsLayout.Word.servedGeneration]
            if served > generation, slot.processID > 0, isLive(slot.processID) {
                generation = served
                fileBytes = slot.words[MetricsLayout.Word.modelFileBytes]
            }
        }
        return MetricsSnapshot(
            bucketBoundsSeconds: layout.bucketBoundsNanoseconds.map { Double($0) / 1e9 },
            requests: requestCounts(in: total, layout: layout), durations: histograms(in: total, layout: layout),
            servedGeneration: generation, modelFileBytes: fileBytes, reloads: total[MetricsLayout.Word.reloads],
            refusedReloads: total[MetricsLayout.Word.refusedReloads], workerRestarts: total[MetricsLayout.Word.workerRestarts])
    }

    private static func requestCounts(in words: [UInt64], layout: MetricsLayout) -> [RequestCount] {
        var counts: [RequestCount] = []
        for (endpoint, label) in layout.endpoints.enumerated() {
            for status in MetricsLayout.statusRange {
                let count = words[layout.requestWord(endpoint: endpoint, status: status)]
                if count > 0 { counts.append(RequestCount(endpoint: label, status: status, count: count)) }
            }
        }
        return counts
    }

    private static func histograms(in words: [UInt64], layout: MetricsLayout) -> [DurationHistogram] {
        layout.endpoints.enumerated().compactMap { endpoint, label in
            var running: UInt64 = 0
            let cumulative = (0..<layout.bucketCount).map { bucket in
                running &+= words[layout.bucketWord(endpoint: endpoint, bucket: bucket)]
                return running
            }
            guard running > 0 else { return nil }
            return DurationHistogram(
                endpoint: label, cumulativeCounts: cumulative, sumNanoseconds: words[layout.durationSumWord(endpoint: endpoint)])
        }
    }
}
