/// Caps how fast crashed workers are restarted: a few crashes are replaced at once, a burst of
/// them makes the master wait longer and longer, so a worker that dies on start does not turn
/// the master into a fork bomb or flood the log.
///
/// The delay counts the crashes in the last `window`: up to `immediateRestarts` of them are
/// restarted without waiting, each one after that doubles the delay from `initialDelay`, up to
/// `maximumDelay`. Once the window holds fewer crashes again, restarts are immediate again.
/// Recycled workers and workers stopped on purpose are not crashes and never count.
public struct RestartRateLimiter: Sendable, Equatable {
    /// How far back crashes count, in nanoseconds.
    public var window: Int64
    /// How many crashes within the window are restarted without delay.
    public var immediateRestarts: Int
    /// The first delay, in nanoseconds.
    public var initialDelay: Int64
    /// The longest delay, in nanoseconds.
    public var maximumDelay: Int64
    /// When the crashes within the window happened, oldest first.
    public private(set) var recentCrashes: [Int64] = []

    /// A limiter; the defaults allow 3 immediate restarts per 30 s, then wait 0.5 s, 1 s, 2 s,
    /// ... up to 30 s.
    public init(
        window: Int64 = 30_000_000_000, immediateRestarts: Int = 3,
        initialDelay: Int64 = 500_000_000, maximumDelay: Int64 = 30_000_000_000
    ) {
        self.window = window
        self.immediateRestarts = immediateRestarts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Records a crash at `now` and returns how long to wait before the replacement starts.
    public mutating func delayAfterCrash(at now: Int64) -> Int64 {
        recentCrashes.removeAll { now - $0 >= window }
        recentCrashes.append(now)
        let excess = recentCrashes.count - immediateRestarts
        guard excess > 0 else { return 0 }
        var delay = initialDelay
        for _ in 1..<excess {
            delay *= 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }

    /// How many crashes fall within the window ending at `now`.
    public func crashCount(at now: Int64) -> Int {
        recentCrashes.filter { now - $0 < window }.count
    }
}
