import CoreMetrics

/// A swift-metrics counter kept in one word of a slot.
///
/// `reset()` does nothing: the pool's totals must only grow (Prometheus reads a drop as a
/// restart), and no RecServe code resets a counter.
final class SlotWordCounter: CounterHandler, Sendable {
    private let slot: SharedMetricsSlot
    private let word: Int

    init(slot: SharedMetricsSlot, word: Int) {
        self.slot = slot
        self.word = word
    }

    func increment(by amount: Int64) {
        if amount > 0 { slot.add(UInt64(amount), toWord: word) }
    }

    func reset() {}
}

/// A swift-metrics gauge (a `Recorder` that does not aggregate) kept in one word of a slot;
/// negative values are stored as 0.
final class SlotWordGauge: RecorderHandler, Sendable {
    private let slot: SharedMetricsSlot
    private let word: Int

    init(slot: SharedMetricsSlot, word: Int) {
        self.slot = slot
        self.word = word
    }

    func record(_ value: Int64) { slot.set(UInt64(max(value, 0)), word: word) }

    func record(_ value: Double) { record(value.isFinite ? Int64(clamping: value) : 0) }
}

/// A swift-metrics timer kept as one endpoint's duration histogram in a slot.
final class SlotDurationHistogram: TimerHandler, Sendable {
    private let slot: SharedMetricsSlot
    private let endpoint: Int

    init(slot: SharedMetricsSlot, endpoint: Int) {
        self.slot = slot
        self.endpoint = endpoint
    }

    func recordNanoseconds(_ duration: Int64) { slot.recordDuration(endpoint: endpoint, nanoseconds: duration) }
}

private extension Int64 {
    /// `value` rounded towards zero and clamped to the representable range.
    init(clamping value: Double) {
        if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}
