import Testing
@testable import RecCore

struct RandomDistributionTests {
    @Test(arguments: [(0.5, 2.0), (3.0, 1.0), (1000.0, 250.0)])
    func gammaSamplesHaveTheRightMeanAndVariance(shape: Double, rate: Double) {
        var generator = SeededRandomNumberGenerator(seed: 17)
        let count = 40_000
        let samples = (0..<count).map { _ in generator.nextGamma(shape: shape, rate: rate) }
        let mean = samples.reduce(0, +) / Double(count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
        let expectedMean = shape / rate, expectedVariance = shape / (rate * rate)
        // Five standard errors of the mean; the variance within 5 %.
        #expect(abs(mean - expectedMean) < 5 * (expectedVariance / Double(count)).squareRoot())
        #expect(abs(variance / expectedVariance - 1) < 0.05)
        #expect(samples.allSatisfy { $0 > 0 })
    }

    @Test func normalPairsAreStandardAndUncorrelated() {
        var generator = SeededRandomNumberGenerator(seed: 5)
        let count = 50_000
        var sum = 0.0, squares = 0.0, product = 0.0
        for _ in 0..<count {
            let (first, second) = generator.nextStandardNormalPair()
            sum += Double(first) + Double(second)
            squares += Double(first * first) + Double(second * second)
            product += Double(first * second)
        }
        #expect(abs(sum / Double(2 * count)) < 0.02)
        #expect(abs(squares / Double(2 * count) - 1) < 0.03)
        #expect(abs(product / Double(count)) < 0.03)
    }
}
