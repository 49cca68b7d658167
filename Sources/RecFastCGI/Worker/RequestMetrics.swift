import CoreMetrics
import RecCore

/// Counts each request a worker answers, through swift-metrics: `recserve_requests_total` by
/// endpoint and status, and `recserve_request_duration_seconds` by endpoint.
///
/// The handles are made once and kept, a `Timer` per endpoint up front and a `Counter` per
/// endpoint and status the first time that pair is seen, so recording a request is an array
/// lookup and two calls into the backend (`SharedMetricsFactory`: three word updates in the
/// worker's slot). `disabled` records nothing, for `REC_METRICS=0`.
public struct RequestMetrics {
    private let factory: (any MetricsFactory)?
    private let timers: [Timer]
    private var counters: [Counter?]

    /// Records nothing.
    public static var disabled: RequestMetrics { RequestMetrics(factory: nil) }

    /// Records through `factory`'s handles, or nothing when it is `nil`.
    package init(factory: (any MetricsFactory)?) {
        self.factory = factory
        guard let factory else {
            timers = []
            counters = []
            return
        }
        timers = APIMetrics.endpointLabels.map {
            Timer(label: MetricNames.requestDuration, dimensions: [(MetricNames.endpointLabel, $0)], factory: factory)
        }
        counters = Array(repeating: nil, count: APIMetrics.endpointLabels.count * MetricsLayout.statusRange.count)
    }

    /// Records `served`, answered `latencyNanoseconds` after its connection was taken. The worker
    /// calls it before libfcgi's final flush, so no client can hold an answer that is not
    /// counted yet. A request that got no answer (the stream broke) is not counted.
    @inline(__always)
    public mutating func record(_ served: ServedRequest, latencyNanoseconds: Int64) {
        guard let factory, let status = served.status, MetricsLayout.statusRange.contains(status) else { return }
        let endpoint = APIMetrics.endpointIndex(path: served.path)
        let index = endpoint * MetricsLayout.statusRange.count + status - MetricsLayout.statusRange.lowerBound
        if counters[index] == nil {
            counters[index] = Counter(
                label: MetricNames.requests,
                dimensions: [(MetricNames.endpointLabel, APIMetrics.endpointLabels[endpoint]), (MetricNames.statusLabel, String(status))],
                factory: factory)
        }
        counters[index]!.increment()
        timers[endpoint].recordNanoseconds(latencyNanoseconds)
    }
}
