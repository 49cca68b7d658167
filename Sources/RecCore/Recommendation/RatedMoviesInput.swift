/// Reads the homework's `[[movies], [ratings]]` input: a list of movies (titles or ids) and a
/// parallel list of ratings, as `rec-cli recommend --json` and `POST /api/predict` take it.
public enum RatedMoviesInput {
    /// The rated movies in `value`, which must be an array of exactly two arrays of equal length:
    /// movies as strings (titles) or whole numbers (ids), and ratings as numbers. Rating ranges
    /// are checked later by `RecommendationEngine`, so they give `invalid_rating`, not a shape error.
    public static func parse(_ value: JSONValue) throws(QueryError) -> [(movie: MovieReference, rating: Double)] {
        guard case .array(let lists) = value, lists.count == 2,
            case .array(let movies) = lists[0], case .array(let ratings) = lists[1]
        else {
            throw QueryError(
                .invalidShape, "expected [[movies], [ratings]]: an array of two arrays, the movies (titles or ids) and their ratings")
        }
        guard movies.count == ratings.count else {
            throw QueryError(.mismatchedLengths, "the movie list has \(movies.count) entries but the rating list has \(ratings.count)")
        }
        var result: [(movie: MovieReference, rating: Double)] = []
        result.reserveCapacity(movies.count)
        for (index, (movie, rating)) in zip(movies, ratings).enumerated() {
            let reference: MovieReference
            switch movie {
            case .string(let title):
                reference = .title(title)
            case .number:
                guard let id = movie.integer, let movieID = Int32(exactly: id) else {
                    throw QueryError(.invalidShape, "movie \(index + 1) must be a title or a whole-number movie id")
                }
                reference = .id(movieID)
            default:
                throw QueryError(.invalidShape, "movie \(index + 1) must be a title or a movie id, not \(movie.kindDescription)")
            }
            guard let value = rating.number else {
                throw QueryError(.invalidShape, "the rating of movie \(index + 1) must be a number, not \(rating.kindDescription)")
            }
            result.append((reference, value))
        }
        return result
    }
}
