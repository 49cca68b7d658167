/// How often one worker accepts `/api/reload`: a token bucket of `burst` reloads refilled at
/// `perSecond`, nginx's own limit for the endpoint (2 a second, burst 5).
///
/// nginx limits reloads per client; this repeats the limit in the worker for whoever reaches
/// the FastCGI socket without nginx, because each reload validates a whole model file (about
/// 15 ms of CPU for MovieLens-1M). Pure: the caller passes the monotonic time.
public struct ReloadRateLimit: Sendable, Equatable {
    /// The most reloads accepted at once after a quiet period.
    public let burst: Double
    /// Reloads accepted per second in the long run.
    public let perSecond: Double
    private var tokens: Double
    private var lastRefill: Int64?

    /// A limit of `perSecond` reloads a second with bursts of `burst`.
    public init(perSecond: Double = 2, burst: Double = 5) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
    }

    /// Whether a reload at `now` (monotonic nanoseconds) is accepted; takes a token if so.
    public mutating func admit(now: Int64) -> Bool {
        if let lastRefill {
            tokens = min(burst, tokens + Double(max(now - lastRefill, 0)) / 1e9 * perSecond)
        }
        lastRefill = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
