/// The names of the metric families `/api/metrics` exports, and of their labels.
///
/// They are the labels code records under with swift-metrics (`Counter(label:dimensions:)`,
/// `Timer`, `Gauge`), and `SharedMetricsFactory` maps each one to its place in the shared
/// counters file. A label that is not one of these is recorded nowhere: the file has a fixed
/// layout, so every family is declared here first.
package enum MetricNames {
    /// Requests answered, by `endpoint` and `status` (a counter).
    package static let requests = "recserve_requests_total"
    /// How long requests took in a worker, by `endpoint` (a histogram; recorded as a `Timer`).
    package static let requestDuration = "recserve_request_duration_seconds"
    /// The highest generation a live worker serves, 0 for none (a gauge).
    package static let servedGeneration = "recserve_served_generation"
    /// Reloads that took effect (a counter).
    package static let reloads = "recserve_reloads_total"
    /// Reloads that were refused or failed, the served generation unchanged (a counter).
    package static let refusedReloads = "recserve_reloads_refused_total"
    /// Workers that ended while the pool ran and were replaced (a counter).
    package static let workerRestarts = "recserve_worker_restarts_total"
    /// The size in bytes of the served generation's model file (a gauge).
    package static let modelFileBytes = "recserve_model_file_bytes"

    /// The label naming an API endpoint path, or `other`.
    package static let endpointLabel = "endpoint"
    /// The label holding the HTTP status code.
    package static let statusLabel = "status"
}
