import CoreMetrics

/// The swift-metrics backend of one pool process: `Counter`, `Timer` and `Gauge` values created
/// through it write into the process's slot of the shared counters file.
///
/// The file has a fixed layout, so the factory knows the families of `MetricNames` only:
/// - `recserve_requests_total` with `endpoint` and `status` dimensions, and
///   `recserve_request_duration_seconds` (a `Timer`) with `endpoint`, go to the request words of
///   that endpoint (an endpoint not in the layout counts as its last one, `other`);
/// - the reload and restart counters and the served-generation and file-size gauges go to the
///   slot's fixed words.
///
/// Anything else gets swift-metrics' no-op handler. Handles are meant to be made once and
/// kept (the worker keeps one per endpoint and status): making one looks up strings, recording
/// through it is two or three word updates. `rec-fcgi` bootstraps it at start-up, as it does
/// the log handler; tests pass it explicitly or with `withMetricsFactory`.
package struct SharedMetricsFactory: MetricsFactory {
    /// The slot written.
    package let slot: SharedMetricsSlot

    /// A factory writing into `slot`.
    package init(slot: SharedMetricsSlot) {
        self.slot = slot
    }

    /// A counter handler for `label`: a request count, or one of the slot's fixed counters.
    package func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        switch label {
        case MetricNames.requests:
            guard let status = dimensions.first(where: { $0.0 == MetricNames.statusLabel }).flatMap({ Int($0.1) }),
                MetricsLayout.statusRange.contains(status)
            else { return NOOPMetricsHandler.instance }
            return SlotWordCounter(slot: slot, word: slot.layout.requestWord(endpoint: endpointIndex(dimensions), status: status))
        case MetricNames.reloads: return SlotWordCounter(slot: slot, word: MetricsLayout.Word.reloads)
        case MetricNames.refusedReloads: return SlotWordCounter(slot: slot, word: MetricsLayout.Word.refusedReloads)
        case MetricNames.workerRestarts: return SlotWordCounter(slot: slot, word: MetricsLayout.Word.workerRestarts)
        default: return NOOPMetricsHandler.instance
        }
    }

    /// A gauge handler for the served generation or its file's size.
    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        switch label {
        case MetricNames.servedGeneration: return SlotWordGauge(slot: slot, word: MetricsLayout.Word.servedGeneration)
        case MetricNames.modelFileBytes: return SlotWordGauge(slot: slot, word: MetricsLayout.Word.modelFileBytes)
        default: return NOOPMetricsHandler.instance
        }
    }

    /// A duration histogram handler for `recserve_request_duration_seconds`.
    package func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        guard label == MetricNames.requestDuration else { return NOOPMetricsHandler.instance }
        return SlotDurationHistogram(slot: slot, endpoint: endpointIndex(dimensions))
    }

    /// The layout index of the `endpoint` dimension; the last endpoint (`other`) when it names none.
    private func endpointIndex(_ dimensions: [(String, String)]) -> Int {
        let endpoints = slot.layout.endpoints
        let label = dimensions.first { $0.0 == MetricNames.endpointLabel }?.1
        return label.flatMap { endpoints.firstIndex(of: $0) } ?? endpoints.count - 1
    }

    /// Nothing to release: the words stay in the file.
    package func destroyCounter(_ handler: CounterHandler) {}
    /// Nothing to release: the words stay in the file.
    package func destroyRecorder(_ handler: RecorderHandler) {}
    /// Nothing to release: the words stay in the file.
    package func destroyTimer(_ handler: TimerHandler) {}
}
