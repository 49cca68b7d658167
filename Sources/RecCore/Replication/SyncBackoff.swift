/// How long `rec-cli sync` waits before its next poll: the interval after a poll that worked,
/// and after consecutive failures the interval doubled each time, capped at `maximumSeconds`.
///
/// With a 5 s interval and a 60 s cap the waits after failures are 10, 20, 40, 60, 60... s,
/// and the first poll that works brings it back to 5 s.
public struct SyncBackoff: Sendable, Equatable {
    /// The wait between polls while everything works, in seconds.
    public var intervalSeconds: Double
    /// The longest wait after failures, in seconds.
    public var maximumSeconds: Double
    /// How many polls in a row have failed.
    public private(set) var consecutiveFailures = 0

    /// A backoff polling every `intervalSeconds`, waiting at most `maximumSeconds` (at least
    /// the interval) after failures.
    public init(intervalSeconds: Double, maximumSeconds: Double) {
        self.intervalSeconds = intervalSeconds
        self.maximumSeconds = max(maximumSeconds, intervalSeconds)
    }

    /// Records a poll that worked and returns the wait before the next one.
    public mutating func recordSuccess() -> Double {
        consecutiveFailures = 0
        return intervalSeconds
    }

    /// Records a failed poll and returns the wait before the next one.
    public mutating func recordFailure() -> Double {
        consecutiveFailures += 1
        return min(intervalSeconds * Double(1 << min(consecutiveFailures, 30)), maximumSeconds)
    }
}
