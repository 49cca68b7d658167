import CoreMetrics
import Synchronization
import RecTelemetry

/// Keeps a worker's `recserve_served_generation` and `recserve_model_file_bytes` gauges in step
/// with the generation it serves.
///
/// `APIService` calls `update(from:)` with every request's snapshot; only a change (a reload,
/// a damaged file, a new mapping of a different size) records anything, so a request costs two
/// relaxed loads. A damaged generation counts as none: it is not served.
package final class ServedModelGauges: Sendable {
    private let generation = Gauge(label: MetricNames.servedGeneration)
    private let fileBytes = Gauge(label: MetricNames.modelFileBytes)
    private let lastGeneration = Atomic<Int>(-1)
    private let lastFileBytes = Atomic<Int>(-1)

    /// Gauges recorded through the current swift-metrics factory.
    package init() {}

    /// Records `served`'s generation and file size if either changed since the last call.
    @inline(__always)
    package func update(from served: ServedModelSnapshot) {
        let model = served.isModelDamaged ? nil : served.engine?.model
        let servedGeneration = model?.generation ?? 0
        let servedFileBytes = model?.fileSize ?? 0
        guard servedGeneration != lastGeneration.load(ordering: .relaxed) || servedFileBytes != lastFileBytes.load(ordering: .relaxed)
        else { return }
        lastGeneration.store(servedGeneration, ordering: .relaxed)
        lastFileBytes.store(servedFileBytes, ordering: .relaxed)
        generation.record(servedGeneration)
        fileBytes.record(servedFileBytes)
    }
}
