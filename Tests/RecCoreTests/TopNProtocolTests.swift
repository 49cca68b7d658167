import Foundation
import Testing
@testable import RecCore

struct TopNProtocolTests {
    @Test func recallAndNDCGFollowTheirDefinitions() {
        var accumulator = TopNAccumulator(listLength: 3)
        // Relevant 2 and 9; hits at ranks 1 and 3 of the three counted.
        accumulator.add(ranked: [2, 5, 9, 7], relevant: [2, 9])
        let ideal = 1 + 1 / log2(3.0)
        #expect(abs(accumulator.recall - 1) < 1e-12)
        #expect(abs(accumulator.normalizedDiscountedCumulativeGain - (1 + 1 / log2(4.0)) / ideal) < 1e-12)
        // Five relevant, one hit at rank 2: recall divides by min(3, 5).
        var second = TopNAccumulator(listLength: 3)
        second.add(ranked: [0, 1, 8], relevant: [1, 2, 3, 4, 5])
        #expect(abs(second.recall - 1.0 / 3) < 1e-12)
        #expect(abs(second.normalizedDiscountedCumulativeGain - (1 / log2(3.0)) / (1 + 1 / log2(3.0) + 1 / log2(4.0))) < 1e-12)
        accumulator.merge(second)
        #expect(accumulator.count == 2 && abs(accumulator.recall - 2.0 / 3) < 1e-12)
        second.add(ranked: [1], relevant: [])
        #expect(second.count == 1, "a person with nothing relevant is not counted")
    }

    /// Three users over ten movies.
    static let training = IndexedRatings(
        userCount: 3, itemCount: 10,
        users: [0, 0, 0, 0, 0, 0, 1, 1, 2], items: [0, 1, 2, 3, 4, 5, 0, 1, 6],
        ratings: [5, 4, 3, 2, 1, 5, 4, 4, 2])
    static let evaluation = IndexedRatings(
        userCount: 3, itemCount: 10,
        users: [0, 0, 0, 0, 1, 1, 1, 2], items: [7, 8, 9, 6, 7, 8, 9, 7],
        ratings: [4, 5, 4, 3, 5, 5, 2, 4])

    @Test func newPersonCasesGiveSeededTrainingRatingsAndCountSkips() {
        let cases = TopNCaseSet(.newPerson(given: 3), training: Self.training, evaluation: Self.evaluation, seed: 42)
        // User 0 has three relevant movies and six training ratings; user 1 has only two relevant.
        #expect(cases.cases.map(\.user) == [0])
        #expect(cases.skippedUsers == 0)
        let only = cases.cases[0]
        #expect(only.givenItems.count == 3 && Set(only.givenItems).isSubset(of: [0, 1, 2, 3, 4, 5]))
        #expect(only.relevantItems == [7, 8, 9])
        for (item, rating) in zip(only.givenItems, only.givenRatings) {
            #expect(rating == [5, 4, 3, 2, 1, 5][Int(item)], "each given movie keeps its training rating")
        }
        let again = TopNCaseSet(.newPerson(given: 3), training: Self.training, evaluation: Self.evaluation, seed: 42)
        #expect(again.cases == cases.cases, "the same seed gives the same choice")
        let skipped = TopNCaseSet(.newPerson(given: 7), training: Self.training, evaluation: Self.evaluation, seed: 42)
        #expect(skipped.cases.isEmpty && skipped.skippedUsers == 1)
    }

    @Test func knownUserCasesGiveTheWholeHistory() {
        let cases = TopNCaseSet(.knownUser, training: Self.training, evaluation: Self.evaluation, seed: 1)
        #expect(cases.cases.map(\.user) == [0, 1, 2])
        #expect(cases.cases[1].givenItems == [0, 1] && cases.cases[1].relevantItems == [7, 8])
        #expect(cases.cases[2].relevantItems == [7])
    }

    @Test func theBlendIsTheWatchTermTimesTheLikingFactor() {
        let blend = RankingBlend(popularityWeight: 0.5, ratingOffset: -3, ratingSlope: 1)
        #expect(blend.watchTerm(watch: -1, popularity: 0.2) == 0.1, "negative watch scores count as zero")
        let score = blend.score(watch: 0.4, popularity: 0.2, rating: 4)
        #expect(abs(score - 0.5 / (1 + exp(-1))) < 1e-6)
        #expect(blend.score(watch: 0.4, popularity: 0.2, rating: 5) > score)
        #expect(blend.score(watch: 0.4, popularity: 0.2, rating: 9) < blend.watchTerm(watch: 0.4, popularity: 0.2))
    }

    @Test func blendsRoundTripThroughTheirSectionAndGroupByGivenCount() {
        let blends = RankingBlends(
            knownUser: RankingBlend(popularityWeight: 1, ratingOffset: 2, ratingSlope: 3),
            newPerson: (0..<3).map { RankingBlend(popularityWeight: Float($0), ratingOffset: 4, ratingSlope: 5) })
        let values = blends.sectionValues
        #expect(values.count == RankingBlends.sectionCount)
        #expect(values.withUnsafeBufferPointer { RankingBlends(sectionValues: $0) } == blends)
        #expect([1, 2, 3, 9, 10, 500].map(RankingBlends.newPersonGroup) == [0, 0, 1, 1, 2, 2])
        #expect(RankingSettings().newPersonGivenCounts.map(RankingBlends.newPersonGroup) == [0, 1, 2])
        #expect(!RankingSettings().newPersonDropouts.contains(0.99), "one given movie keeps pointing at its sequels")
        #expect(RankingSettings().rankedItemsPerUser == RecommendationEngine.recommendationCountRange.upperBound)
    }
}
