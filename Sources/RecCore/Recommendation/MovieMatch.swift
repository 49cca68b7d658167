/// A catalogue movie that a search query matched: what `GET /api/movies`, `rec-cli search`
/// and `MyRecModel.searchMovies` list for each result.
public struct MovieMatch: Sendable, Equatable {
    /// The MovieLens movie id.
    public var movieID: Int32
    /// The catalogue title, year included: `Star Wars: Episode IV - A New Hope (1977)`.
    public var title: String
    /// The year from the title's `(year)`, or nil when it has none.
    public var year: Int?
    /// The catalogue genres; empty for a model generation trained before genres were stored.
    public var genres: [String]
    /// The number of training ratings, which orders equally good matches.
    public var ratings: Int

    /// Creates a match.
    public init(movieID: Int32, title: String, year: Int?, genres: [String], ratings: Int) {
        self.movieID = movieID
        self.title = title
        self.year = year
        self.genres = genres
        self.ratings = ratings
    }
}
