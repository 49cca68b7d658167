import Foundation
import Testing
@testable import RecCore

struct RankingMetricsTests {
    @Test func precisionAndNDCGFollowTheDocumentedDefinitions() {
        // User 1: three rows, two relevant, the model puts the irrelevant one first.
        // User 2: nothing relevant, so not counted. User 3: twelve rows, its one relevant row on top.
        var users: [Int32] = [1, 1, 1, 2, 2], movies: [Int32] = [10, 11, 12, 10, 11]
        var ratings: [Float] = [5, 2, 4, 3, 1], scores: [Float] = [4.5, 4.8, 3.0, 4, 3]
        for movie in 0..<12 {
            users.append(3)
            movies.append(Int32(100 + movie))
            ratings.append(movie == 5 ? 4 : 2)
            scores.append(movie == 5 ? 5 : 1)
        }
        let result = RankingMetrics.evaluate(userIDs: users, movieIDs: movies, ratings: ratings, scores: scores)
        let third = 1 / log2(3.0), fourth = 0.5
        let firstNDCG = (third + fourth) / (1 + third)
        #expect(result.users == 2)
        #expect(abs(result.precision - (2.0 / 3 + 1.0 / 10) / 2) < 1e-12)
        #expect(abs(result.normalizedDiscountedCumulativeGain - (firstNDCG + 1) / 2) < 1e-12)
        // Random order: R/n, and (R/n) Σ_{r≤K} 1/log₂(r+1) / IDCG.
        let firstRandom = 2.0 / 3 * (1 + third + fourth) / (1 + third)
        let thirdRandom = 1.0 / 12 * (1...10).reduce(0.0) { $0 + 1 / log2(Double($1) + 1) }
        #expect(abs(result.randomPrecision - (2.0 / 3 + 1.0 / 12) / 2) < 1e-12)
        #expect(abs(result.randomNormalizedDiscountedCumulativeGain - (firstRandom + thirdRandom) / 2) < 1e-12)
    }

    @Test func tiesGoToTheLowerMovieIDAndAPerfectOrderScoresOne() {
        let result = RankingMetrics.evaluate(userIDs: [7, 7, 7], movieIDs: [3, 1, 2], ratings: [2, 5, 4], scores: [4, 4, 4])
        #expect(result.precision == 2.0 / 3)
        #expect(abs(result.normalizedDiscountedCumulativeGain - 1) < 1e-12)
        let empty = RankingMetrics.evaluate(userIDs: [], movieIDs: [], ratings: [], scores: [])
        #expect(empty.users == 0 && empty.precision == 0)
    }
}
