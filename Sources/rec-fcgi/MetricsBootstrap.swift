import CoreMetrics
import Logging
import RecCore
import RecFastCGI

/// Sets up the pool's metrics at start-up, as `RecLogging.bootstrap` sets up its log: the
/// shared counters file and the swift-metrics backend writing this process's slot of it.
///
/// A failure never stops the pool: it is logged, and `/api/metrics` answers 503 `metrics_unavailable`.
enum MetricsBootstrap {
    /// The master's part: creates the counters file for `settings.serving.workerCount` workers
    /// and bootstraps the factory over slot 0; `nil` with `REC_METRICS=0` or when the file
    /// cannot be created (logged).
    static func master(settings: RecSettings, logger: Logger) -> SharedMetricsFile? {
        guard settings.serving.metricsEnabled else { return nil }
        do throws(MetricsError) {
            let file = try SharedMetricsFile.create(
                runDirectory: settings.dataDirectory.runDirectory, layout: APIMetrics.layout(workerCount: settings.serving.workerCount))
            let slot = file.slot(MetricsLayout.masterSlot)
            slot.claim(processID: SystemCalls.processID())
            MetricsSystem.bootstrap(SharedMetricsFactory(slot: slot))
            return file
        } catch {
            logger.error("metrics are off: cannot create the shared counters file", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// A worker's part: maps the counters file on descriptor 4 and bootstraps the factory over
    /// slot `slot`. Returns what the worker records with and how `/api/metrics` reads the pool.
    static func worker(settings: RecSettings, slot: Int?, logger: Logger) -> Worker {
        guard settings.serving.metricsEnabled else { return Worker(requestMetrics: .disabled, snapshot: nil) }
        guard let slot else {
            return unavailable(MetricsError(.unavailable, "the master could not create the shared counters file; see its log line"))
        }
        let file: SharedMetricsFile
        do throws(MetricsError) {
            file = try SharedMetricsFile.attach(
                descriptor: WorkerLauncher.workerMetricsDescriptor, layout: APIMetrics.layout(workerCount: settings.serving.workerCount))
            guard slot < file.layout.slotCount else {
                throw MetricsError(.incompatibleLayout, "slot \(slot) is outside the shared counters' \(file.layout.slotCount) slots")
            }
        } catch {
            logger.error("metrics are off in this worker: cannot attach the shared counters file", metadata: ["error": "\(error)"])
            return unavailable(error)
        }
        let writer = file.slot(slot)
        writer.claim(processID: SystemCalls.processID())
        let factory = SharedMetricsFactory(slot: writer)
        MetricsSystem.bootstrap(factory)
        return Worker(requestMetrics: RequestMetrics(factory: factory), snapshot: { file.snapshot() })
    }

    /// What a worker gets: its request recorder and the reader of the pool's counters (`nil`:
    /// metrics off, `/api/metrics` is 404).
    struct Worker {
        var requestMetrics: RequestMetrics
        var snapshot: (@Sendable () throws(MetricsError) -> MetricsSnapshot)?
    }

    /// A worker that records nothing and answers `/api/metrics` with `error`.
    private static func unavailable(_ error: MetricsError) -> Worker {
        Worker(requestMetrics: .disabled, snapshot: { () throws(MetricsError) -> MetricsSnapshot in throw error })
    }
}
