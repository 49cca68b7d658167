import CoreMetrics
import Foundation
import Glibc
import Testing
@testable import RecCore

/// A pool process's counters over a real (temporary) counters file.
final class MetricsTestPool: Sendable {
    let folder = TemporaryDirectory()
    let file: SharedMetricsFile

    init(workerCount: Int = 1) throws {
        file = try SharedMetricsFile.create(runDirectory: folder.file("run"), layout: APIMetrics.layout(workerCount: workerCount))
    }

    /// The swift-metrics backend writing slot `slot` (1 is the first worker's).
    func factory(slot: Int = 1) -> SharedMetricsFactory {
        let writer = file.slot(slot)
        writer.claim(processID: SystemCalls.processID())
        return SharedMetricsFactory(slot: writer)
    }

    var snapshot: MetricsSnapshot { file.snapshot() }
}

/// swift-metrics as RecServe records through it: the families the shared backend knows, and
/// the reload function, which counts its outcomes wherever it is called.
struct SharedMetricsFactoryTests {
    @Test func countersTimersAndGaugesLandInTheirWords() throws {
        let pool = try MetricsTestPool()
        let factory = pool.factory()
        let predict = [(MetricNames.endpointLabel, "/api/predict"), (MetricNames.statusLabel, "200")]
        Counter(label: MetricNames.requests, dimensions: predict, factory: factory).increment(by: 3)
        Counter(label: MetricNames.requests, dimensions: [(MetricNames.statusLabel, "404")], factory: factory).increment()
        let timer = Timer(label: MetricNames.requestDuration, dimensions: [(MetricNames.endpointLabel, "/api/predict")], factory: factory)
        timer.recordNanoseconds(400_000)
        timer.recordMilliseconds(2)
        Counter(label: MetricNames.reloads, factory: factory).increment()
        Counter(label: MetricNames.refusedReloads, factory: factory).increment(by: 2)
        Counter(label: MetricNames.workerRestarts, factory: factory).increment(by: 4)
        Gauge(label: MetricNames.servedGeneration, factory: factory).record(7)
        Gauge(label: MetricNames.modelFileBytes, factory: factory).record(4_096)

        let snapshot = pool.snapshot
        #expect(
            snapshot.requests == [
                .init(endpoint: "/api/predict", status: 200, count: 3), .init(endpoint: "other", status: 404, count: 1),
            ])
        #expect(snapshot.durations.map(\.endpoint) == ["/api/predict"])
        #expect(snapshot.durations.first?.cumulativeCounts.prefix(5) == [0, 0, 1, 1, 2])
        #expect(snapshot.durations.first?.sumNanoseconds == 2_400_000)
        #expect(snapshot.reloads == 1 && snapshot.refusedReloads == 2 && snapshot.workerRestarts == 4)
        #expect(snapshot.servedGeneration == 7 && snapshot.modelFileBytes == 4_096)
    }

    @Test func whatTheFileHasNoPlaceForIsRecordedNowhere() throws {
        let pool = try MetricsTestPool()
        let factory = pool.factory()
        Counter(label: "some_library_total", factory: factory).increment()
        Counter(label: MetricNames.requests, dimensions: [(MetricNames.statusLabel, "999")], factory: factory).increment()
        Counter(label: MetricNames.requests, dimensions: [(MetricNames.statusLabel, "two hundred")], factory: factory).increment()
        Timer(label: "some_library_seconds", factory: factory).recordSeconds(1)
        Gauge(label: "some_gauge", factory: factory).record(3)
        let reloads = Counter(label: MetricNames.reloads, factory: factory)
        reloads.increment(by: 2)
        reloads.reset()
        reloads.increment(by: -5)
        Gauge(label: MetricNames.servedGeneration, factory: factory).record(-1)

        let snapshot = pool.snapshot
        #expect(snapshot.requests.isEmpty && snapshot.durations.isEmpty)
        #expect(snapshot.reloads == 2, "a counter never goes back")
        #expect(snapshot.servedGeneration == 0)
    }

    @Test func theReloadFunctionCountsEveryOutcome() throws {
        let fixture = ServingFixture()
        let pool = try MetricsTestPool()
        let factory = pool.factory()
        let logger = TrainedModelFixture.quietLogger
        let refused = withMetricsFactory(factory) {
            ServedModelControl.reload(dataDirectory: fixture.dataDirectory, trigger: .signal, logger: logger)
        }
        #expect((try? refused.get()) == nil)
        #expect(pool.snapshot.refusedReloads == 1 && pool.snapshot.reloads == 0)

        try fixture.publish()
        for _ in 0..<2 {
            let outcome = withMetricsFactory(factory) {
                ServedModelControl.reload(dataDirectory: fixture.dataDirectory, trigger: .api, logger: logger)
            }
            #expect((try? outcome.get()) != nil)
        }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: fixture.dataDirectory.modelDirectory + "/CURRENT"))
        _ = withMetricsFactory(factory) { ServedModelControl.reload(dataDirectory: fixture.dataDirectory, trigger: .api, logger: logger) }
        #expect(pool.snapshot.reloads == 2 && pool.snapshot.refusedReloads == 2)
    }

    @Test func withoutABackendReloadingCountsNothingAndStillWorks() throws {
        let fixture = ServingFixture()
        try fixture.publish()
        let outcome = ServedModelControl.reload(
            dataDirectory: fixture.dataDirectory, trigger: .training, logger: TrainedModelFixture.quietLogger)
        #expect(try outcome.get().generation == 1)
    }
}
