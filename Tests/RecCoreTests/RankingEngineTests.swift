import Testing
@testable import RecCore

/// The ranked lists the engine serves: the same exact answer as scoring every movie, never a
/// movie the person gave or rated, shown best-rated first.
struct RankingEngineTests {
    private func engine() throws -> RecommendationEngine { try TrainedModelFixture.load().engine() }

    @Test func theTrainedModelHasARankingModelFittedOnTheValidationSplit() throws {
        let engine = try engine()
        let ranking = try #require(engine.model.ranking)
        #expect(ranking.rankedItemsPerUser == min(1000, engine.model.itemCount))
        #expect(ranking.watchWeightsPerItem == min(256, engine.model.itemCount - 1))
        let summary = try #require(try engine.model.metadata().ranking)
        #expect(summary.fittedOnValidation)
        #expect(summary.blends == ranking.blends)
        #expect(summary.newPersonValidationRecall?.keys.sorted() == ["1", "20", "5"])
        #expect(summary.newPersonDropouts.count == RankingBlends.newPersonGroupCount)
        #expect(summary.newPersonDropouts.allSatisfy(RankingSettings().newPersonDropouts.contains))
        #expect(ranking.watchTables.count == Set(summary.newPersonDropouts).count, "one table per distinct dropout")
        let tableOfDropout = Dictionary(zip(summary.newPersonDropouts, ranking.watchTableOfGroup)) { first, _ in first }
        #expect(summary.newPersonDropouts.map { tableOfDropout[$0]! } == ranking.watchTableOfGroup)
    }

    /// The new-person list by brute force: every movie's blend score, best first.
    private func bruteForce(_ engine: RecommendationEngine, given: [(item: Int, rating: Float)], count: Int) throws -> [Int] {
        let ranking = try #require(engine.model.ranking)
        let person = FoldIn.solve(items: given.map(\.item), ratings: given.map(\.rating), model: engine.items)
        let blend = ranking.blends.newPersonBlend(givenCount: given.count)
        let table = ranking.watchTable(givenCount: given.count)
        var watch = [Float](repeating: 0, count: engine.model.itemCount)
        for (item, _) in given {
            for slot in (item * ranking.watchWeightsPerItem)..<((item + 1) * ranking.watchWeightsPerItem)
            where table.items[slot] >= 0 {
                watch[Int(table.items[slot])] += table.weights[slot]
            }
        }
        let popularity = RankingPopularity.shares(of: engine.model.itemRatingCounts)
        let givenItems = Set(given.map(\.item))
        return TopItems.select(count: count, from: engine.model.itemCount) { item in
            guard engine.model.itemRatingCounts[item] > 0, !givenItems.contains(item) else { return nil }
            return blend.score(
                watch: watch[item], popularity: popularity[item],
                rating: Recommender.estimate(for: person, item: item, model: engine.items))
        }.map(\.item)
    }

    @Test(arguments: [1, 2, 5, 12, 40])
    func relevanceRankingIsExactlyTheBruteForceList(givenCount: Int) throws {
        let engine = try engine()
        var generator = SeededRandomNumberGenerator(seed: UInt64(givenCount))
        let rated = (0..<engine.model.itemCount).filter { engine.model.itemRatingCounts[$0] > 0 }
        for _ in 0..<5 {
            var given: [(item: Int, rating: Float)] = []
            while given.count < givenCount {
                let item = rated[generator.nextIndex(below: rated.count)]
                if !given.contains(where: { $0.item == item }) { given.append((item, Float(1 + generator.nextIndex(below: 5)))) }
            }
            for count in [1, 20, 300] {
                let ranked = try engine.rankedItems(
                    ratings: given.map { (.id(engine.model.movieIDs[$0.item]), Double($0.rating)) }, count: count)
                #expect(ranked.map(\.item) == (try bruteForce(engine, given: given, count: count)))
            }
        }
    }

    @Test func listsAreShownBestRatedFirstAndLeaveOutTheGivenMovies() throws {
        let engine = try engine()
        let input: [(movie: MovieReference, rating: Double)] = [(.id(1), 5), (.id(50), 4), (.id(100), 2)]
        for ranking in RecommendationRanking.allCases {
            let shown = try engine.recommendedItems(ratings: input, count: 50, ranking: ranking)
            let ranked = try engine.rankedItems(ratings: input, count: 50, ranking: ranking)
            #expect(Set(shown.map(\.item)) == Set(ranked.map(\.item)), "the shown list is the ranked one, reordered")
            #expect(shown.map(\.score) == shown.map(\.score).sorted(by: >))
            #expect(shown.allSatisfy { (1...5).contains($0.score) })
            let given = Set([1, 50, 100].compactMap { engine.model.itemIndex(movieID: $0) })
            #expect(given.isDisjoint(with: shown.map(\.item)))
        }
        let byRating = try engine.rankedItems(ratings: input, count: 50, ranking: .rating)
        #expect(byRating.map(\.score) == byRating.map(\.score).sorted(by: >), "rating order ranks by the estimate")
    }

    @Test func knownUsersNeverGetAMovieTheyRatedInTraining() throws {
        let engine = try engine()
        let ranking = try #require(engine.model.ranking)
        let fixture = try MovieLens100kFixture.load()
        for user in stride(from: 0, to: engine.model.userCount, by: 7) {
            let userID = engine.model.userIDs[user]
            let trained = Set(
                fixture.training.itemsByUser[fixture.training.userOffsets[user]..<fixture.training.userOffsets[user + 1]]
                    .map { engine.model.itemIndex(movieID: fixture.items.identifiers[Int($0)])! })
            #expect(Set(ranking.ratedItems(ofUser: user)) == trained)
            for order in RecommendationRanking.allCases {
                let list = try engine.recommendedItems(userID: userID, count: 1000, ranking: order)
                #expect(trained.isDisjoint(with: list.map(\.item)), "user \(userID), \(order)")
                #expect(list.count == min(1000, engine.model.itemRatingCounts.filter { $0 > 0 }.count - trained.count))
                #expect(list.map(\.score) == list.map(\.score).sorted(by: >))
            }
            let relevance = try engine.rankedItems(userID: userID, count: 10)
            #expect(relevance.map(\.item) == Array(ranking.rankedItems(ofUser: user).prefix(10).map { Int($0) }))
            for entry in relevance {
                #expect(
                    entry.score == engine.predictRating(userID: userID, movieID: engine.model.movieIDs[entry.item]).unclampedRating,
                    "the rating shown is the rating model's estimate for the user")
            }
        }
    }

    @Test func knownUserErrorsSayWhatIsWrong() throws {
        let engine = try engine()
        let unknown = #expect(throws: QueryError.self) { try engine.recommend(userID: 999_999, count: 5) }
        #expect(unknown?.code == .unknownUser)
        for count in [0, 1001] {
            let outOfRange = #expect(throws: QueryError.self) { try engine.recommend(userID: engine.model.userIDs[0], count: count) }
            #expect(outOfRange?.code == .countOutOfRange)
        }
    }

    @Test func aModelWithoutARankingModelRanksNewPeopleByRatingAndRefusesKnownUsers() throws {
        let folder = TemporaryDirectory()
        var artifact = try TrainedModelFixture.load().result.artifact
        artifact.ranking = nil
        let path = folder.file("model-1.recmodel")
        try ModelFileWriter.write(artifact, toPath: path)
        let engine = RecommendationEngine(model: try LoadedModel.open(path: path, verifyContents: true))
        let input: [(movie: MovieReference, rating: Double)] = [(.id(1), 5), (.id(50), 4)]
        #expect(try engine.rankedItems(ratings: input, count: 20) == engine.rankedItems(ratings: input, count: 20, ranking: .rating))
        let refused = #expect(throws: QueryError.self) { try engine.recommend(userID: engine.model.userIDs[0], count: 5) }
        #expect(refused?.code == .noUserHistory)
    }

    @Test func relevanceBeatsRatingOrderOnTheFixturesTestSplit() throws {
        let fixtureModel = try TrainedModelFixture.load()
        let engine = try fixtureModel.engine()
        let training = try RatingsFileParser.load(path: FixturePaths.movieLens100kFolder + "/u1.base")
        let test = try RatingsFileParser.load(path: FixturePaths.movieLens100kFolder + "/u1.test")
        for kind in [TopNProtocol.knownUser, .newPerson(given: 5)] {
            let report = TopNEvaluator.evaluate(engine: engine, training: training, evaluation: test, kind: kind, seed: 42, threadCount: 2)
            #expect(report.methods.map(\.name) == ["RecServe", "RecServe, rating order", "most popular", "item-kNN", "EASE"])
            #expect(report.users > 100)
            let recServe = report.methods[0], ratingOrder = report.methods[1], popular = report.methods[2]
            #expect(recServe.recall > 1.5 * ratingOrder.recall, "\(kind): \(report.methods)")
            #expect(recServe.recall > popular.recall, "\(kind): \(report.methods)")
            #expect(report.unknownTrainingRows == 0)
        }
    }
}
