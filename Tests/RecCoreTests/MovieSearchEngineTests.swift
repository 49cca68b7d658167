import Testing
@testable import RecCore

/// `RecommendationEngine.searchMovies`, the core of `GET /api/movies`.
struct MovieSearchEngineTests {
    @Test func listsMatchesWithTheirIdsTitlesYearsGenresAndRatings() throws {
        let engine = try TrainedModelFixture.load().engine()
        let found = try engine.searchMovies("star wa", limit: 5)
        #expect(found.count == 5)
        let starWars = try #require(found.first)
        let item = try #require(engine.model.itemIndex(movieID: 50))
        #expect(
            starWars
                == MovieMatch(
                    movieID: 50, title: "Star Wars (1977)", year: 1977, genres: ["Action", "Adventure", "Romance", "Sci-Fi", "War"],
                    ratings: Int(engine.model.itemRatingCounts[item])))
        #expect(try engine.searchMovies("star wa") == engine.searchMovies("star wa", limit: RecommendationEngine.defaultMovieSearchLimit))
        #expect(try engine.searchedItems("star wa", limit: 5) == found.map { engine.model.itemIndex(movieID: $0.movieID)! })
    }

    @Test(arguments: [0, -1, 51, 1000])
    func refusesALimitOutOfRange(_ limit: Int) throws {
        let engine = try TrainedModelFixture.load().engine()
        let error = #expect(throws: QueryError.self) { try engine.searchMovies("star", limit: limit) }
        #expect(error?.code == .countOutOfRange)
    }
}
