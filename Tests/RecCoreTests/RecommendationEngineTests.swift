import Testing
@testable import RecCore

struct RecommendationEngineTests {
    @Test func recommendsUnratedMoviesBestFirstWithinTheScale() throws {
        let engine = try TrainedModelFixture.load().engine()
        let input: [(movie: MovieReference, rating: Double)] = [(.title("Toy Story"), 5), (.id(50), 5), (.title("Heat (1995)"), 4)]
        let recommendations = try engine.recommend(ratings: input, count: 20)
        #expect(recommendations.count == 20)
        #expect(!recommendations.contains { [1, 50, 6].contains($0.movieID) })
        #expect(recommendations.allSatisfy { (1...5).contains($0.rating) })
        #expect(zip(recommendations, recommendations.dropFirst()).allSatisfy { $0.rating >= $1.rating })
        #expect(Set(recommendations.map(\.movieID)).count == 20)
    }

    @Test func unknownTitlesAreReportedTogetherWithSuggestions() throws {
        let engine = try TrainedModelFixture.load().engine()
        do {
            _ = try engine.recommend(ratings: [(.title("Toy Stroy Zzzz Qqq"), 5), (.title("xqzzv blorf"), 4), (.id(999_999), 3)], count: 5)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownMovie)
            #expect(error.unknownMovies.map(\.query) == ["Toy Stroy Zzzz Qqq", "xqzzv blorf", "999999"])
            #expect(error.unknownMovies.allSatisfy { $0.suggestions.count <= 3 })
        }
    }

    /// A request's title matching is bounded: at most `ratedMovieLimit` movies, and only the
    /// first `fuzzyTitleSearchLimit` titles without an exact match are searched fuzzily, so a
    /// body of thousands of unknown titles cannot hold a worker.
    @Test func titleMatchingHasAPerRequestBudget() throws {
        let engine = try TrainedModelFixture.load().engine()
        let tooMany = (0...RecommendationEngine.ratedMovieLimit).map { (movie: MovieReference.title("no such film \($0)"), rating: 4.0) }
        #expect(throws: QueryError.self) { _ = try engine.recommend(ratings: tooMany, count: 5) }
        do {
            _ = try engine.recommend(ratings: tooMany, count: 5)
        } catch {
            #expect(error.code == .tooManyMovies)
        }

        // Typos: the first few are searched (one still resolves), the rest must be exact.
        let typos = Array(repeating: "Toy Stroy", count: RecommendationEngine.fuzzyTitleSearchLimit + 3)
        let resolvedWithinBudget = try engine.recommend(ratings: [(.title("Toy Stroy"), 5)], count: 5)
        #expect(!resolvedWithinBudget.isEmpty)
        let unknown = typos.map { (movie: MovieReference.title($0 + " Zzzz Qqq"), rating: 4.0) } + [(.title("Heat (1995)"), 5)]
        do {
            _ = try engine.recommend(ratings: unknown, count: 5)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownMovie)
            #expect(error.unknownMovies.count == typos.count, "the exact title after the budget still resolves")
            #expect(error.unknownMovies.prefix(RecommendationEngine.fuzzyTitleSearchLimit).allSatisfy { !$0.suggestions.isEmpty })
            #expect(error.unknownMovies.dropFirst(RecommendationEngine.fuzzyTitleSearchLimit).allSatisfy { $0.suggestions.isEmpty })
            #expect(error.message.contains("must be exact"))
        }

        // Exactly the budget's worth of typos: every one was searched, so the error does not
        // claim that some had to be exact.
        let searchedTypos = typos.prefix(RecommendationEngine.fuzzyTitleSearchLimit).map {
            (movie: MovieReference.title($0 + " Zzzz Qqq"), rating: 4.0)
        }
        do {
            _ = try engine.recommend(ratings: Array(searchedTypos), count: 5)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownMovie)
            #expect(error.unknownMovies.allSatisfy { !$0.suggestions.isEmpty })
            #expect(!error.message.contains("must be exact"), "\(error.message)")
        }
    }

    @Test(arguments: [0.5, 5.5, Double.nan, -Double.infinity])
    func ratingsOutsideOneToFiveAreRefused(_ rating: Double) throws {
        let engine = try TrainedModelFixture.load().engine()
        #expect(throws: QueryError(.invalidRating, "the rating of 'Toy Story' must be a number from 1 to 5, not \(rating)")) {
            _ = try engine.recommend(ratings: [(.title("Toy Story"), rating)], count: 5)
        }
    }

    @Test func countsOutsideTheirRangesAreRefused() throws {
        let engine = try TrainedModelFixture.load().engine()
        for count in [0, 1001] {
            #expect(throws: QueryError.self) { _ = try engine.recommend(ratings: [(.id(1), 5)], count: count) }
        }
        for count in [0, 101] {
            #expect(throws: QueryError.self) { _ = try engine.similar(to: .id(1), count: count) }
        }
        #expect(throws: QueryError.self) { _ = try engine.recommend(ratings: [], count: 5) }
    }

    @Test func similarMoviesExcludeTheMovieAndAreMostSimilarFirst() throws {
        let engine = try TrainedModelFixture.load().engine()
        let similar = try engine.similar(to: .title("Star Wars (1977)"), count: 10)
        #expect(similar.count == 10)
        #expect(!similar.contains { $0.movieID == 50 })
        #expect(zip(similar, similar.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        #expect(similar.prefix(5).contains { $0.title.hasPrefix("Return of the Jedi") || $0.title.hasPrefix("Empire Strikes Back") })
    }

    @Test func knownUsersAreScoredAndUnknownOnesFallBack() throws {
        let engine = try TrainedModelFixture.load().engine()
        let known = engine.predictRating(userID: 1, movieID: 1)
        #expect(!known.isFallback)
        #expect((1...5).contains(known.rating))
        let unknownUser = engine.predictRating(userID: 99_999, movieID: 1)
        #expect(unknownUser.isFallback)
        let itemIndex = try #require(engine.model.itemIndex(movieID: 1))
        #expect(abs(unknownUser.rating - RatingMetrics.clamp(engine.model.globalMean + engine.model.itemBiases[itemIndex])) < 1e-6)
        #expect(engine.predictRating(userID: 99_999, movieID: 99_999).rating == RatingMetrics.clamp(engine.model.globalMean))
    }
}
