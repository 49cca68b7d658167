import Foundation
import Testing
@testable import RecCore
@testable import RecModels

struct ItemAutoencoderTests {
    /// Four users over five movies; movie 4 is never rated.
    static let sets = RatedItemSets(itemCount: 5, starts: [0, 3, 5, 7, 9], items: [0, 1, 2, 0, 1, 1, 2, 0, 3])

    @Test func cooccurrenceCountsUsersWhoRatedBoth() {
        let counts = ItemCooccurrence.counts(of: Self.sets, threadCount: 3)
        #expect(counts.diagonal == [3, 3, 2, 1, 0])
        #expect(counts[0, 1] == 2 && counts[1, 0] == 2)
        #expect(counts[1, 2] == 2 && counts[0, 3] == 1 && counts[2, 3] == 0)
        let weighted = ItemCooccurrence.counts(of: Self.sets, userWeightExponent: 1, threadCount: 2)
        // Users 0 (3 movies) and 1 (2 movies) rated 0 and 1 together: 1/3 + 1/2.
        #expect(abs(weighted[0, 1] - (1.0 / 3 + 1.0 / 2)) < 1e-6)
    }

    @Test func ratedItemSetsAreDistinctAndAscending() {
        let ratings = IndexedRatings(
            userCount: 2, itemCount: 4, users: [0, 0, 0, 1, 1], items: [3, 1, 3, 2, 0], ratings: [5, 4, 2, 3, 1])
        let sets = RatedItemSets(ratings)
        #expect(Array(sets.items(ofUser: 0)) == [1, 3])
        #expect(Array(sets.items(ofUser: 1)) == [0, 2])
        #expect(sets.starts == [0, 2, 4])
    }

    @Test func likedSetsKeepOnlyTheRatingsFromTheMinimumUp() {
        let ratings = IndexedRatings(
            userCount: 3, itemCount: 4, users: [0, 0, 0, 1, 1, 2], items: [3, 1, 2, 2, 0, 1], ratings: [5, 4, 3.5, 3, 1, 2])
        let liked = RatedItemSets(ratings, minimumRating: 4)
        #expect(Array(liked.items(ofUser: 0)) == [1, 3])
        #expect(liked.items(ofUser: 1).isEmpty && liked.items(ofUser: 2).isEmpty, "a user who liked nothing has an empty set")
        #expect(liked.starts == [0, 2, 2, 2] && liked.itemCount == 4)
    }

    @Test func aKnownUsersWatchAddsTheLikedModelsRowsScaled() {
        var rated = SquareMatrix(size: 3), liked = SquareMatrix(size: 3)
        rated[0, 1] = 1; rated[2, 1] = 0.5; rated[2, 0] = 0.25
        liked[0, 2] = 2; liked[2, 1] = 4
        func scores(_ watch: KnownUserWatch) -> [Float] {
            var buffer = [Float](repeating: 0, count: watch.stride)
            buffer.withUnsafeMutableBufferPointer { watch.add(ratedItems: [0, 2], likedItems: [2], into: $0.baseAddress!) }
            return Array(buffer[0..<3])
        }
        #expect(scores(KnownUserWatch(rated: rated, liked: liked, likedWeight: 0.5)) == [0.25, 3.5, 0])
        let without = KnownUserWatch(rated: rated, liked: liked, likedWeight: 0)
        #expect(without.liked == nil, "a weight of 0 does not keep the second matrix")
        #expect(scores(without) == [0.25, 1.5, 0])
        #expect(scores(KnownUserWatch(rated: rated, liked: nil, likedWeight: 0.5)) == [0.25, 1.5, 0])
    }

    @Test func knownUserModelsWrittenBeforeTheLikedWeightDecodeWithoutIt() throws {
        let old = try JSONDecoder().decode(KnownUserModel.self, from: Data(#"{"user_weight_exponent":0.5,"regularization":30}"#.utf8))
        #expect(old == KnownUserModel(userWeightExponent: 0.5, regularization: 30, likedWeight: 0))
        let model = KnownUserModel(userWeightExponent: 0.5, regularization: 30, likedWeight: 0.5)
        let encoded = try JSONEncoder().encode(model)
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""liked_weight":0.5"#))
        #expect(try JSONDecoder().decode(KnownUserModel.self, from: encoded) == model)
    }

    @Test func weightedCooccurrencesMatchADirectCountForEachWeighting() {
        let sets = RatedItemSets(
            IndexedRatings(userCount: 3, itemCount: 3, users: [0, 0, 0, 1, 1, 2], items: [0, 1, 2, 0, 2, 1], ratings: [5, 4, 3, 2, 5, 4]))
        var shared = WeightedCooccurrences(sets: sets, threadCount: 2)
        for exponent: Float in [0, 0.5, 0] {
            let direct = ItemCooccurrence.counts(of: sets, userWeightExponent: exponent, threadCount: 1)
            #expect(shared.matrix(userWeightExponent: exponent) == direct)
        }
        let weighted = shared.matrix(userWeightExponent: 0.5)
        #expect(abs(weighted[0, 2] - (1 / Float(3).squareRoot() + 1 / Float(2).squareRoot())) < 1e-6)
        #expect(shared.matrix(userWeightExponent: 0)[0, 2] == 2)
    }

    @Test func newPersonWeightsStoreEachDistinctTableOnce() {
        let first = NeighbourTable(neighboursPerItem: 1, items: [1, 0], similarities: [0.5, 0.25])
        let second = NeighbourTable(neighboursPerItem: 1, items: [1, 0], similarities: [0.75, 0.125])
        let shared = NewPersonWatchWeights(groupTables: [first, second, second])
        #expect(shared.tables == [first, second] && shared.tableOfGroup == [0, 1, 1])
        #expect(NewPersonWatchWeights(groupTables: [second, first, second]).tableOfGroup == [0, 1, 0])
        #expect(NewPersonWatchWeights(groupTables: [first, first, first]) == NewPersonWatchWeights(single: first))
        #expect(shared.weightsPerItem == 1)
    }

    @Test func summariesWrittenBeforeEachGroupHadItsDropoutDecodeTheSharedOneAndNoUserWeighting() throws {
        let blend = #"{"popularity_weight":0,"rating_offset":-3,"rating_slope":1}"#
        let fields =
            #""known_user_model":{"user_weight_exponent":0,"regularization":500},"denoising_regularization":10,"#
            + #""watch_weights_per_item":256,"ranked_items_per_user":1000,"fitted_on_validation":true,"seconds":2,"#
            + #""blends":{"known_user":\#(blend),"new_person":[\#(blend),\#(blend),\#(blend)]}"#
        let old = try JSONDecoder().decode(RankingSummary.self, from: Data(#"{"new_person_dropout":0.98,\#(fields)}"#.utf8))
        #expect(old.newPersonDropouts == [0.98, 0.98, 0.98])
        #expect(old.denoisingUserWeightExponent == 0)
        #expect(old.knownUserValidationRecall == nil)
        var current = old
        current.newPersonDropouts = [0.98, 0.99, 0.95]
        current.denoisingUserWeightExponent = 0.5
        let encoded = try JSONEncoder().encode(current)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""new_person_dropouts":[0.98"#) && text.contains(#""denoising_user_weight_exponent":0.5"#))
        #expect(try JSONDecoder().decode(RankingSummary.self, from: encoded) == current)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RankingSummary.self, from: Data("{\(fields)}".utf8)) }
    }

    /// The regularised counts as a double-precision matrix, inverted by Gauss–Jordan.
    static func referenceInverse(_ counts: SquareMatrix, penalty: [Double]) -> [[Double]] {
        let size = counts.size
        var matrix = (0..<size).map { row in (0..<size).map { Double(counts[row, $0]) + (row == $0 ? penalty[row] : 0) } }
        var inverse = (0..<size).map { row in (0..<size).map { row == $0 ? 1.0 : 0 } }
        for pivot in 0..<size {
            let scale = matrix[pivot][pivot]
            for column in 0..<size { matrix[pivot][column] /= scale; inverse[pivot][column] /= scale }
            for row in 0..<size where row != pivot {
                let factor = matrix[row][pivot]
                for column in 0..<size {
                    matrix[row][column] -= factor * matrix[pivot][column]
                    inverse[row][column] -= factor * inverse[pivot][column]
                }
            }
        }
        return inverse
    }

    @Test func easeIsTheClosedFormWithAZeroDiagonal() throws {
        let counts = ItemCooccurrence.counts(of: Self.sets, threadCount: 1)
        let weights = try #require(ItemAutoencoder.ease(cooccurrence: counts, regularization: 2, threadCount: 2))
        let inverse = Self.referenceInverse(counts, penalty: [Double](repeating: 2, count: 5))
        for row in 0..<5 {
            for column in 0..<5 {
                let expected = row == column ? 0 : -inverse[row][column] / inverse[column][column]
                #expect(abs(Double(weights[row, column]) - expected) < 1e-5)
            }
        }
    }

    @Test func denoisingIsTheExpectedDropoutSolution() throws {
        let counts = ItemCooccurrence.counts(of: Self.sets, threadCount: 1)
        let weights = try #require(ItemAutoencoder.denoising(cooccurrence: counts, dropout: 0.5, regularization: 1, threadCount: 2))
        let penalty = counts.diagonal.map { Double($0) * 0.5 / 0.5 + 1 }
        let inverse = Self.referenceInverse(counts, penalty: penalty)
        // B = (G + Λ)⁻¹ G off the diagonal.
        for row in 0..<5 {
            for column in 0..<5 where column != row {
                let expected = (0..<5).reduce(0.0) { $0 + inverse[row][$1] * Double(counts[$1, column]) }
                #expect(abs(Double(weights[row, column]) - expected) < 1e-5)
            }
            #expect(weights[row, row] == 0)
        }
    }

    @Test func watchWeightsKeepTheLargestPositiveWeightsInOrder() {
        var weights = SquareMatrix(size: 4)
        weights[0, 1] = 0.2; weights[0, 2] = 0.5; weights[0, 3] = -0.4
        weights[1, 0] = 0.1
        let table = WatchWeights.table(from: weights, weightsPerItem: 2, threadCount: 2)
        #expect(table.neighboursPerItem == 2)
        #expect(Array(table.items[0..<2]) == [2, 1] && Array(table.similarities[0..<2]) == [0.5, 0.2])
        #expect(Array(table.items[2..<4]) == [0, -1], "empty slots are -1 after the kept ones")
        #expect(Array(table.items[4..<8]) == [-1, -1, -1, -1])
        var scores = [Float](repeating: 0, count: 4)
        table.items.withUnsafeBufferPointer { items in
            table.similarities.withUnsafeBufferPointer { values in
                scores.withUnsafeMutableBufferPointer {
                    WatchWeights.accumulate(rows: [0, 1], items: items, weights: values, perItem: 2, into: $0.baseAddress!, itemCount: 4)
                }
            }
        }
        #expect(scores == [0.1, 0.2, 0.5, 0])
    }
}
