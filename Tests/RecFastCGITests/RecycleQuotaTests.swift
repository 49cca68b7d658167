import RecCore
import RecFastCGI
import Testing

struct RecycleQuotaTests {
    @Test func staysWithinTenPercentAndSpreads() {
        var generator = SeededRandomNumberGenerator(seed: 7)
        let quotas = (0..<1_000).map { _ in RecycleQuota.jittered(10_000, using: &generator) }
        #expect(quotas.allSatisfy { (9_000...11_000).contains($0) })
        #expect(Set(quotas).count > 500)
        #expect(quotas.min()! < 9_200 && quotas.max()! > 10_800)
    }

    @Test func zeroMeansNeverAndSmallQuotasStayPositive() {
        var generator = SeededRandomNumberGenerator(seed: 1)
        #expect(RecycleQuota.jittered(0, using: &generator) == 0)
        #expect(RecycleQuota.jittered(5, using: &generator) == 5)
        for _ in 0..<100 { #expect(RecycleQuota.jittered(10, using: &generator) >= 1) }
    }

    @Test func isReproducibleFromTheSeed() {
        var first = SeededRandomNumberGenerator(seed: 99)
        var second = SeededRandomNumberGenerator(seed: 99)
        #expect(
            (0..<10).map { _ in RecycleQuota.jittered(1_000, using: &first) }
                == (0..<10).map { _ in RecycleQuota.jittered(1_000, using: &second) })
    }
}
