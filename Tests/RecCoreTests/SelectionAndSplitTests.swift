import Testing
@testable import RecCore
@testable import RecModels

struct SelectionAndSplitTests {
    @Test func topItemsAreBestFirstWithTiesToTheLowerIndex() {
        let scores: [Float?] = [0.5, 2, nil, 2, 1, 3, .nan]
        let top = TopItems.select(count: 3, from: scores.count) { scores[$0] }
        #expect(top.map(\.item) == [5, 1, 3])
        #expect(TopItems.select(count: 10, from: scores.count) { scores[$0] }.count == 5)
        #expect(TopItems.select(count: 0, from: scores.count) { scores[$0] }.isEmpty)
    }

    @Test func validationSplitIsDisjointCompleteAndReproducible() {
        let split = ValidationSplit(rowCount: 1000, fraction: 0.05, seed: 42)
        #expect(split.validationRows.count == 50)
        #expect(Set(split.validationRows).isDisjoint(with: split.trainingRows))
        #expect(Set(split.validationRows + split.trainingRows) == Set(0..<1000))
        #expect(split.validationRows == ValidationSplit(rowCount: 1000, fraction: 0.05, seed: 42).validationRows)
        #expect(split.validationRows != ValidationSplit(rowCount: 1000, fraction: 0.05, seed: 43).validationRows)
    }

    @Test func identifierIndexMapsIdsToTheirRank() {
        let index = IdentifierIndex(collecting: [30, 10, 20, 10])
        #expect(index.identifiers == [10, 20, 30])
        #expect(index.index(of: 20) == 1)
        #expect(index.index(of: 25) == nil)
        #expect(index.denseLookupTable()[30] == 2)
    }

    @Test func indexedRatingsGroupByUserAndItem() {
        let ratings = IndexedRatings(userCount: 2, itemCount: 3, users: [1, 0, 1], items: [2, 2, 0], ratings: [5, 4, 3])
        #expect(ratings.userOffsets == [0, 1, 3])
        #expect(ratings.itemsByUser == [2, 2, 0])
        #expect(ratings.itemOffsets == [0, 1, 1, 3])
        #expect(ratings.usersByItem == [1, 1, 0])
        #expect(ratings.ratingsByItem == [3, 5, 4])
        #expect(ratings.itemRatingCounts == [1, 0, 2])
    }
}
