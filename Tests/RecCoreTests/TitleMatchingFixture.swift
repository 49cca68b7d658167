import RecCore

/// The embedded MovieLens-1M catalogue with its training rating counts and title index,
/// loaded once for every title-matching test.
///
/// Items are the catalogue's movies in ascending id, as in a trained model.
struct TitleMatchingFixture: Sendable {
    /// The fixture, or the error that stopped it from loading.
    static let shared = Result { try TitleMatchingFixture() }

    let catalog: MovieCatalog
    /// The training rating count of each item.
    let ratingCounts: [Int32]
    let tables: TitleIndexTables
    /// The word index of `tables`, for the movie search.
    let words: TitleSearchIndex

    private init() throws {
        catalog = try MovieCatalog.load(path: FixturePaths.embeddedMoviesFile)
        let ratings = try RatingsFileParser.load(path: FixturePaths.embeddedTrainingFile)
        var counts = [Int32](repeating: 0, count: catalog.movies.count)
        let itemOfMovie = Dictionary(uniqueKeysWithValues: catalog.movies.enumerated().map { ($0.element.id, $0.offset) })
        for movieID in ratings.movieIDs {
            if let item = itemOfMovie[movieID] { counts[item] += 1 }
        }
        ratingCounts = counts
        tables = TitleIndexBuilder.build(titles: catalog.movies.map(\.title), ratingCounts: counts)
        words = tables.withView { TitleSearchIndex(index: $0, itemCount: counts.count) }
    }

    /// The item of the movie with `movieID`.
    func item(movieID: Int32) -> Int32? {
        catalog.movies.firstIndex { $0.id == movieID }.map { Int32($0) }
    }

    /// The movie id of `item`.
    func movieID(item: Int32) -> Int32 {
        catalog.movies[Int(item)].id
    }

    /// The title of `item`.
    func title(item: Int32) -> String {
        catalog.movies[Int(item)].title
    }

    /// Runs `body` with a matcher over the fixture's index.
    func withMatcher<Result>(_ body: (TitleMatcher) throws -> Result) rethrows -> Result {
        try tables.withView { view in
            try ratingCounts.withUnsafeBufferPointer { counts in
                try body(TitleMatcher(index: view, ratingCounts: counts))
            }
        }
    }

    /// What `query` resolves to.
    func resolve(_ query: String) -> TitleResolution {
        withMatcher { $0.resolve(query) }
    }

    /// The movie ids the movie search lists for `query`, best first.
    func search(_ query: String, limit: Int = 10) -> [Int32] {
        withMatcher { TitleSearch(words: words, matcher: $0).search(query, limit: limit) }.map { movieID(item: $0.item) }
    }

    /// The training rating count of the movie `movieID`.
    func ratingCount(movieID: Int32) -> Int32 {
        item(movieID: movieID).map { ratingCounts[Int($0)] } ?? -1
    }
}
