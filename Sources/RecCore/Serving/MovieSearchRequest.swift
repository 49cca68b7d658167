/// A `GET /api/movies` request, read from its query string: the search text `q` (required,
/// 1 to `maximumQueryLength` characters once leading and trailing white space is trimmed)
/// and `limit` (a whole number, `RecommendationEngine.defaultMovieSearchLimit` by default).
/// Neither has an alias. Shapes are checked here (400 `invalid_parameter`); the limit's range
/// is checked by `RecommendationEngine.searchedItems` (422 `count_out_of_range`), as the
/// other endpoints' counts are.
public struct MovieSearchRequest: Sendable, Equatable {
    /// The longest search text, in characters, after trimming: more than any title needs, and a
    /// bound on what one type-ahead request costs.
    public static let maximumQueryLength = 200

    /// The search text, trimmed.
    public var text: String
    /// How many movies to list (not yet range-checked).
    public var limit: Int

    /// Creates a request.
    public init(text: String, limit: Int) {
        self.text = text
        self.limit = limit
    }

    /// Reads a request from its `query` string.
    ///
    /// - Throws: `invalid_parameter` (400) for a missing, empty or too long `q`, a `limit` that
    ///   is not a whole number, or either given twice with different values;
    ///   `count_out_of_range` for an absurdly large `limit`.
    public static func parse(query: String) throws(APIError) -> MovieSearchRequest {
        let parameters = URLQueryParameters(query)
        guard let given = try parameters.value("q") else {
            throw APIError(.invalidParameter, "give the text to search for: /api/movies?q=star+wa&limit=10")
        }
        let text = try checkedText(given)
        var limit = RecommendationEngine.defaultMovieSearchLimit
        if let given = try parameters.value("limit") {
            limit = try RequestFieldReader.count(queryText: given, name: "limit", range: RecommendationEngine.movieSearchLimitRange)
        }
        return MovieSearchRequest(text: text, limit: limit)
    }

    /// `text` without leading and trailing white space, as the search takes it.
    ///
    /// - Throws: `invalid_parameter` when nothing is left, or more than `maximumQueryLength`
    ///   characters are. `rec-cli search` checks its argument with it too.
    public static func checkedText(_ text: String) throws(APIError) -> String {
        let trimmed = text.trimmingWhiteSpace
        guard !trimmed.isEmpty else {
            throw APIError(.invalidParameter, "'q' is empty; give part of a title, such as 'star wa'")
        }
        guard trimmed.count <= maximumQueryLength else {
            throw APIError(.invalidParameter, "'q' has \(trimmed.count) characters; give at most \(maximumQueryLength)")
        }
        return trimmed
    }
}

extension String {
    /// The text without leading and trailing white space (Unicode's, newlines included).
    fileprivate var trimmingWhiteSpace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
