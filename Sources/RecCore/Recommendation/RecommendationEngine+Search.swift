import RecModelFile
import RecTitleMatching

extension RecommendationEngine {
    /// How many movies one search may list.
    public static let movieSearchLimitRange = 1...50
    /// How many movies a search lists when the request does not say.
    public static let defaultMovieSearchLimit = 10

    /// The item indices of the `limit` catalogue movies that best match `query`, a partial or
    /// misspelt title, best first (`TitleSearch` describes the ranking); empty when nothing
    /// comes close. What the API writes out without making a `String` per title.
    ///
    /// - Throws: `count_out_of_range` for a `limit` outside `movieSearchLimitRange`.
    public func searchedItems(_ query: String, limit: Int) throws(QueryError) -> [Int] {
        guard Self.movieSearchLimitRange.contains(limit) else {
            throw QueryError(
                .countOutOfRange,
                "the number of movies must be from \(Self.movieSearchLimitRange.lowerBound) to \(Self.movieSearchLimitRange.upperBound), not \(limit)"
            )
        }
        return titleSearch.search(query, limit: limit).map { Int($0.item) }
    }

    /// `searchedItems(_:limit:)` as movies with their ids, titles, years, genres and rating counts.
    public func searchMovies(_ query: String, limit: Int = defaultMovieSearchLimit) throws(QueryError) -> [MovieMatch] {
        try searchedItems(query, limit: limit).map { movieMatch(ofItem: $0) }
    }

    /// The search result for item `item`.
    public func movieMatch(ofItem item: Int) -> MovieMatch {
        MovieMatch(
            movieID: model.movieIDs[item], title: title(ofItem: item), year: titleWords.year(ofItem: item),
            genres: model.genres.genres(ofItem: item), ratings: Int(model.itemRatingCounts[item]))
    }
}
