import Testing
@testable import RecCore

struct ItemNeighbourBuilderTests {
    @Test func perfectlyCoRatedMoviesAreMostSimilar() {
        // Items 0 and 1 move together across users; item 2 moves against them.
        var users: [Int32] = [], items: [Int32] = [], ratings: [Float] = []
        for user in 0..<30 {
            let taste: Float = user % 2 == 0 ? 1 : -1
            for (item, sign) in [(0, Float(1)), (1, 1), (2, -1)] {
                users.append(Int32(user))
                items.append(Int32(item))
                ratings.append(3 + taste * sign)
            }
        }
        let data = IndexedRatings(userCount: 30, itemCount: 3, users: users, items: items, ratings: ratings)
        let baseline = BiasBaselineModel.train(on: data, hyperparameters: .init(), context: TrainingContext(seed: 1))
        var settings = ItemNeighbourBuilder.Settings()
        settings.neighboursPerItem = 2
        let table = ItemNeighbourBuilder.build(ratings: data, baseline: baseline, settings: settings)
        #expect(table.items[0] == 1)
        // Shrunk: (n − 1) / (n − 1 + 100) × 1 with n = 30 common raters.
        #expect(abs(table.similarities[0] - 29 / 129) < 1e-3)
        // Negative similarities are never neighbours.
        #expect(table.items[1] == -1)
        #expect(table.items[4] == -1)
    }

    @Test func sameNeighboursWithOneOrTwoThreads() throws {
        let data = try MovieLens100kFixture.load()
        let baseline = BiasBaselineModel.train(on: data.training, hyperparameters: .init(), context: TrainingContext(seed: 1))
        let single = ItemNeighbourBuilder.build(ratings: data.training, baseline: baseline, threadCount: 1)
        let double = ItemNeighbourBuilder.build(ratings: data.training, baseline: baseline, threadCount: 2)
        #expect(single == double)
    }

    /// The sanity checks on the embedded MovieLens-1M training file.
    @Test func sequelsAreAmongTheTopFiveOnMovieLens1M() throws {
        let table = try RatingsFileParser.load(path: FixturePaths.embeddedTrainingFile)
        let users = IdentifierIndex(collecting: table.userIDs), items = IdentifierIndex(collecting: table.movieIDs)
        let data = IndexedRatings(table, users: users, items: items)
        let baseline = BiasBaselineModel.train(on: data, hyperparameters: .init(), context: TrainingContext(seed: 1))
        let neighbours = ItemNeighbourBuilder.build(ratings: data, baseline: baseline, threadCount: 2)
        func topFive(_ movieID: Int32) -> [Int32] {
            let item = items.index(of: movieID)!
            return (0..<5).map { items.identifiers[Int(neighbours.items[item * neighbours.neighboursPerItem + $0])] }
        }
        #expect(topFive(1).contains(3114), "Toy Story (1995) → Toy Story 2 (1999)")
        #expect(!Set(topFive(260)).isDisjoint(with: [1196, 1210]), "Star Wars IV → Episode V or VI")
    }
}
