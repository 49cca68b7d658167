import CoreMetrics
import RecCore
import RecFastCGI
import Testing

/// What a worker counts for each request it answers, in a real counters file.
struct RequestMetricsTests {
    let folder: TemporaryFolder
    let file: SharedMetricsFile

    init() throws {
        folder = try TemporaryFolder()
        file = try SharedMetricsFile.create(runDirectory: folder.path + "/run", layout: APIMetrics.layout(workerCount: 2))
    }

    private func served(_ path: String, _ status: Int?) -> ServedRequest {
        ServedRequest(method: "GET", path: path, requestID: "id", status: status)
    }

    @Test func eachAnsweredRequestCountsByEndpointAndStatusWithItsDuration() {
        var metrics = RequestMetrics(factory: SharedMetricsFactory(slot: file.slot(1)))
        for _ in 0..<3 { metrics.record(served("/api/predict", 200), latencyNanoseconds: 300_000) }
        metrics.record(served("/api/predict", 400), latencyNanoseconds: 700_000)
        metrics.record(served("/api/health/", 503), latencyNanoseconds: 100_000)
        metrics.record(served("/bench/hello", 200), latencyNanoseconds: 50_000)
        metrics.record(served("/api/predict", nil), latencyNanoseconds: 1_000_000)

        let snapshot = file.snapshot()
        #expect(
            snapshot.requests == [
                .init(endpoint: "/api/predict", status: 200, count: 3), .init(endpoint: "/api/predict", status: 400, count: 1),
                .init(endpoint: "/api/health", status: 503, count: 1), .init(endpoint: "other", status: 200, count: 1),
            ])
        let predict = snapshot.durations.first { $0.endpoint == "/api/predict" }
        #expect(predict?.count == 4, "a request the stream broke under got no answer and is not counted")
        #expect(predict?.cumulativeCounts.prefix(3) == [0, 0, 3], "0.3 ms is over 0.25 ms, under 0.5 ms")
        #expect(predict?.sumNanoseconds == 1_600_000)
    }

    @Test func twoWorkersAddUpAndADisabledRecorderRecordsNothing() {
        var first = RequestMetrics(factory: SharedMetricsFactory(slot: file.slot(1)))
        var second = RequestMetrics(factory: SharedMetricsFactory(slot: file.slot(2)))
        var disabled = RequestMetrics.disabled
        for _ in 0..<37 { first.record(served("/api/similar", 200), latencyNanoseconds: 1) }
        for _ in 0..<5 { second.record(served("/api/similar", 200), latencyNanoseconds: 1) }
        disabled.record(served("/api/similar", 200), latencyNanoseconds: 1)
        #expect(file.snapshot().requests == [.init(endpoint: "/api/similar", status: 200, count: 42)])
    }
}
