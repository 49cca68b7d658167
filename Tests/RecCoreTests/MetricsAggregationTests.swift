import Testing
@testable import RecCore

/// The pure half of the shared counters: where each number lives in a slot, and how the slots
/// of a pool add up, with slots built by hand.
struct MetricsAggregationTests {
    let layout = MetricsLayout(endpoints: ["/api/predict", "/api/similar", "other"], slotCount: 3)

    @Test func everyWordOfASlotHasOneMeaning() {
        var seen = Set<Int>()
        for word in 0..<MetricsLayout.Word.fixedCount { seen.insert(word) }
        for endpoint in layout.endpoints.indices {
            for status in MetricsLayout.statusRange {
                #expect(seen.insert(layout.requestWord(endpoint: endpoint, status: status)).inserted)
            }
            for bucket in 0..<layout.bucketCount { #expect(seen.insert(layout.bucketWord(endpoint: endpoint, bucket: bucket)).inserted) }
            #expect(seen.insert(layout.durationSumWord(endpoint: endpoint)).inserted)
        }
        #expect(seen == Set(0..<layout.wordsPerSlot))
        #expect(layout.slotStrideBytes % MetricsLayout.pageBytes == 0 && layout.slotStrideBytes >= layout.wordsPerSlot * 8)
        #expect(layout.fileBytes == layout.headerBytes + 3 * layout.slotStrideBytes)
    }

    @Test func theBucketsRunFromATenthOfAMillisecondToTenSeconds() {
        #expect(layout.bucketBoundsNanoseconds.prefix(3) == [100_000, 250_000, 500_000])
        #expect(layout.bucketBoundsNanoseconds.last == 10_000_000_000)
        #expect(layout.bucketCount == layout.bucketBoundsNanoseconds.count + 1)
    }

    @Test func aDurationFallsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        #expect(layout.bucket(forNanoseconds: 0) == 0)
        #expect(layout.bucket(forNanoseconds: 100_000) == 0, "le is inclusive")
        #expect(layout.bucket(forNanoseconds: 100_001) == 1)
        #expect(layout.bucket(forNanoseconds: 500_000) == 2)
        #expect(layout.bucket(forNanoseconds: 10_000_000_000) == layout.bucketCount - 2)
        #expect(layout.bucket(forNanoseconds: 10_000_000_001) == layout.bucketCount - 1, "+Inf")
        #expect(layout.bucket(forNanoseconds: .max) == layout.bucketCount - 1)
    }

    @Test func theFingerprintChangesWithTheEndpointsAndTheBuckets() {
        let other = MetricsLayout(endpoints: ["/api/predict", "/api/similar", "/api/movies", "other"], slotCount: 3)
        let coarser = MetricsLayout(endpoints: layout.endpoints, bucketBoundsNanoseconds: [1_000_000], slotCount: 3)
        #expect(layout.fingerprint == layout.withSlotCount(9).fingerprint, "the slot count is stored on its own")
        #expect(Set([layout.fingerprint, other.fingerprint, coarser.fingerprint]).count == 3)
    }

    @Test func theCountsOfEverySlotAddUp() {
        var master = slot(processID: 10)
        master.words[MetricsLayout.Word.reloads] = 1
        master.words[MetricsLayout.Word.workerRestarts] = 2
        var first = slot(processID: 11)
        var second = slot(processID: 12)
        for _ in 0..<3 { first.recordRequest(endpoint: 0, status: 200, nanoseconds: 90_000, layout: layout) }
        first.recordRequest(endpoint: 0, status: 422, nanoseconds: 3_000_000, layout: layout)
        second.recordRequest(endpoint: 0, status: 200, nanoseconds: 20_000_000_000, layout: layout)
        second.recordRequest(endpoint: 2, status: 404, nanoseconds: 100_000, layout: layout)
        second.words[MetricsLayout.Word.reloads] = 2
        second.words[MetricsLayout.Word.refusedReloads] = 1

        let snapshot = MetricsSnapshot.aggregating([master, first, second], layout: layout) { _ in true }
        #expect(
            snapshot.requests == [
                .init(endpoint: "/api/predict", status: 200, count: 4), .init(endpoint: "/api/predict", status: 422, count: 1),
                .init(endpoint: "other", status: 404, count: 1),
            ])
        #expect(snapshot.durations.map(\.endpoint) == ["/api/predict", "other"], "an endpoint nobody asked for has no histogram")
        let predict = snapshot.durations[0]
        #expect(predict.count == 5)
        #expect(predict.cumulativeCounts.first == 3)
        #expect(predict.cumulativeCounts[layout.bucket(forNanoseconds: 3_000_000)] == 4)
        #expect(predict.cumulativeCounts == predict.cumulativeCounts.sorted(), "buckets are cumulative")
        #expect(predict.cumulativeCounts[layout.bucketCount - 2] == 4 && predict.cumulativeCounts.last == 5, "20 s is only in +Inf")
        #expect(predict.sumNanoseconds == 3 * 90_000 + 3_000_000 + 20_000_000_000)
        #expect(snapshot.reloads == 3 && snapshot.refusedReloads == 1 && snapshot.workerRestarts == 2)
        #expect(snapshot.bucketBoundsSeconds.first == 0.0001 && snapshot.bucketBoundsSeconds.last == 10)
    }

    @Test func aDeadWorkersCountsStayButItServesNothing() {
        var dead = slot(processID: 21, generation: 7, fileBytes: 7_000)
        dead.recordRequest(endpoint: 1, status: 200, nanoseconds: 1_000, layout: layout)
        var live = slot(processID: 22, generation: 6, fileBytes: 6_000)
        live.recordRequest(endpoint: 1, status: 200, nanoseconds: 1_000, layout: layout)
        let never = slot(processID: 0, generation: 9, fileBytes: 9_000)

        let snapshot = MetricsSnapshot.aggregating([slot(processID: 20), dead, live, never], layout: layout) { $0 != 21 }
        #expect(snapshot.requests == [.init(endpoint: "/api/similar", status: 200, count: 2)])
        #expect(snapshot.servedGeneration == 6 && snapshot.modelFileBytes == 6_000, "the highest generation a live worker serves")

        let allLive = MetricsSnapshot.aggregating([dead, live], layout: layout) { _ in true }
        #expect(allLive.servedGeneration == 7 && allLive.modelFileBytes == 7_000)
        let noneLive = MetricsSnapshot.aggregating([dead, live], layout: layout) { _ in false }
        #expect(noneLive.servedGeneration == 0 && noneLive.modelFileBytes == 0)
    }

    @Test func aSlotOfAnotherSizeIsLeftOut() {
        var good = slot(processID: 1)
        good.recordRequest(endpoint: 0, status: 200, nanoseconds: 1, layout: layout)
        let snapshot = MetricsSnapshot.aggregating([good, MetricsSlotValues(words: [1, 2, 3])], layout: layout) { _ in true }
        #expect(snapshot.requests == [.init(endpoint: "/api/predict", status: 200, count: 1)])
    }

    @Test func anEmptyPoolReportsZeros() {
        let snapshot = MetricsSnapshot.aggregating([], layout: layout) { _ in true }
        #expect(snapshot.requests.isEmpty && snapshot.durations.isEmpty)
        #expect(snapshot.servedGeneration == 0 && snapshot.reloads == 0 && snapshot.workerRestarts == 0)
    }

    private func slot(processID: Int32, generation: UInt64 = 0, fileBytes: UInt64 = 0) -> MetricsSlotValues {
        var slot = MetricsSlotValues(layout: layout)
        slot.words[MetricsLayout.Word.processID] = UInt64(processID)
        slot.words[MetricsLayout.Word.servedGeneration] = generation
        slot.words[MetricsLayout.Word.modelFileBytes] = fileBytes
        return slot
    }
}
