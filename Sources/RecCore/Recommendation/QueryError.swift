/// A recommendation or similarity query that cannot be answered as asked.
///
/// The codes map onto the HTTP API's errors (`400` for a malformed shape, `422` for the rest,
/// see the SPEC), and the messages are written for the person who sent the query.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the query was refused.
    public enum Code: String, Sendable, Equatable {
        /// The input does not have the expected shape (for example not `[[movies], [ratings]]`).
        case invalidShape = "invalid_shape"
        /// The movie list and the rating list have different lengths.
        case mismatchedLengths = "mismatched_lengths"
        /// One or more movies were not found; see `unknownMovies`.
        case unknownMovie = "unknown_movie"
        /// A rating is not a number from 1 to 5.
        case invalidRating = "invalid_rating"
        /// The requested number of results is out of range.
        case countOutOfRange = "count_out_of_range"
        /// More rated movies than one request may give (`RecommendationEngine.ratedMovieLimit`).
        case tooManyMovies = "too_many_movies"
        /// No rated movies were given.
        case emptyInput = "empty_input"
        /// The movie has no similarity data (it has no training ratings).
        case noSimilarityData = "no_similarity_data"
        /// The user id is not one of the training data's users.
        case unknownUser = "unknown_user"
        /// The model generation does not record who rated what, so it cannot recommend to a known user.
        case noUserHistory = "no_user_history"
    }

    /// Why the query was refused.
    public var code: Code
    /// A sentence for the person who sent the query.
    public var message: String
    /// The references that matched nothing, with suggestions.
    public var unknownMovies: [UnknownMovie]

    /// Creates an error.
    public init(_ code: Code, _ message: String, unknownMovies: [UnknownMovie] = []) {
        self.code = code
        self.message = message
        self.unknownMovies = unknownMovies
    }

    /// The message, followed by the suggestions for each unknown movie.
    public var description: String {
        guard !unknownMovies.isEmpty else { return message }
        let details = unknownMovies.map { unknown in
            unknown.suggestions.isEmpty
                ? "'\(unknown.query)': no similar titles"
                : "'\(unknown.query)': did you mean " + unknown.suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
        }
        return ([message] + details).joined(separator: "\n  ")
    }
}
