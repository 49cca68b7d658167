import RecFastCGI
import Testing

struct RestartRateLimiterTests {
    private let second: Int64 = 1_000_000_000

    @Test func firstCrashesRestartAtOnceThenTheDelayDoublesUpToTheCap() {
        var limiter = RestartRateLimiter(window: 30 * second, immediateRestarts: 3, initialDelay: second / 2, maximumDelay: 4 * second)
        let delays = (0..<8).map { limiter.delayAfterCrash(at: Int64($0) * second / 10) }
        #expect(delays == [0, 0, 0, second / 2, second, 2 * second, 4 * second, 4 * second])
    }

    @Test func crashesOutsideTheWindowAreForgotten() {
        var limiter = RestartRateLimiter(window: 10 * second, immediateRestarts: 1, initialDelay: second, maximumDelay: 60 * second)
        #expect(limiter.delayAfterCrash(at: 0) == 0)
        #expect(limiter.delayAfterCrash(at: 1 * second) == second)
        #expect(limiter.crashCount(at: 1 * second) == 2)
        #expect(limiter.crashCount(at: 11 * second) == 0)
        #expect(limiter.delayAfterCrash(at: 11 * second) == 0)
    }

    @Test func aHugeBurstNeverOverflows() {
        var limiter = RestartRateLimiter()
        var last: Int64 = 0
        for index in 0..<500 { last = limiter.delayAfterCrash(at: Int64(index)) }
        #expect(last == limiter.maximumDelay)
    }
}
