import Testing
@testable import RecCore

/// `RecommendationEngine.searchMovies` and the suggestions of `unknown_movie`, which come from
/// the same search.
struct MovieSearchEngineTests {
    /// An engine over the MovieLens-1M catalogue (titles and training rating counts, no genres).
    private func catalogueEngine() throws -> RecommendationEngine {
        let folder = ServingFixture()
        let generation = try folder.publish(CatalogueModelFixture.artifact.get())
        return RecommendationEngine(model: try folder.store.open(generation: generation))
    }

    /// The suggestions `unknown_movie` lists for `title` in a predict request.
    private func suggestions(for title: String, engine: RecommendationEngine) throws -> [String] {
        do {
            _ = try engine.recommend(ratings: [(.title(title), 5)], count: 5)
        } catch {
            #expect(error.code == .unknownMovie)
            return try #require(error.unknownMovies.first { $0.query == title }).suggestions
        }
        Issue.record("'\(title)' resolved")
        return []
    }

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

    @Test func theFacadeSearchesTheCurrentGeneration() throws {
        let trained = try TrainedModelFixture.load()
        let model = MyRecModel(dataDirectory: trained.dataDirectory, logger: TrainedModelFixture.quietLogger)
        #expect(try model.searchMovies("star wa", limit: 3) == trained.engine().searchMovies("star wa", limit: 3))
        #expect(try model.searchMovies("star wa").first?.movieID == 50)
        #expect(throws: QueryError.self) { try model.searchMovies("star wa", limit: 0) }
    }

    @Test(arguments: [0, -1, 51, 1000])
    func refusesALimitOutOfRange(_ limit: Int) throws {
        let engine = try TrainedModelFixture.load().engine()
        let error = #expect(throws: QueryError.self) { try engine.searchMovies("star", limit: limit) }
        #expect(error?.code == .countOutOfRange)
    }

    /// A word of the title is enough for a suggestion, and the suggestions are the search's first
    /// three, where the title matcher alone (the suggestions before) has other movies.
    @Test func unknownTitlesAreSuggestedTheSearchsFirstThree() throws {
        let engine = try catalogueEngine()
        let fixture = try TitleMatchingFixture.shared.get()
        for title in ["star wras", "Toy Stroy 9", "the lord of the thing"] {
            let suggested = try suggestions(for: title, engine: engine)
            #expect(suggested == (try engine.searchMovies(title, limit: 3)).map(\.title), "\(title)")
        }
        let starWars = try suggestions(for: "star wras", engine: engine)
        #expect(Set(starWars).isSubset(of: TitleSearchTests.starWars.map { fixture.title(item: fixture.item(movieID: $0)!) }))
        guard case .notFound(let before) = fixture.resolve("star wras") else {
            Issue.record("star wras resolved")
            return
        }
        #expect(Set(before.map(fixture.title)).isDisjoint(with: starWars), "the matcher alone suggested \(before.map(fixture.title))")
    }

    @Test func whatResolvesIsUnchanged() throws {
        let engine = try catalogueEngine()
        let fixture = try TitleMatchingFixture.shared.get()
        for title in ["Lord of the Rings", "toy story", "Mad Max 2 (a.k.a. The Road Warrior)", "Toy Stroy", "Star Wars", "Hamlet (1995)"] {
            let resolved = try engine.resolveMovie(.title(title))
            #expect(Int32(resolved.item) == fixture.resolve(title).item, "\(title)")
        }
    }
}
