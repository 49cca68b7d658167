/// A `GET /api/recommend` request for a training user, read from its query string:
/// `user_id` (required, a whole number), the count under `top` or its aliases (`M`, `top_m`,
/// `n`; 20 by default) and the ranking under `rank` (`relevance` by default, or `rating`).
/// Shapes are checked here (400); the count's range and the user are checked by
/// `RecommendationEngine` (422 and 404).
public struct RecommendRequest: Sendable, Equatable {
    /// The training user's id.
    public var userID: Int32
    /// How many recommendations to return (not yet range-checked).
    public var count: Int
    /// Which movies the list picks.
    public var ranking: RecommendationRanking

    /// Creates a request.
    public init(userID: Int32, count: Int, ranking: RecommendationRanking) {
        self.userID = userID
        self.count = count
        self.ranking = ranking
    }

    /// Reads a request from its `query` string.
    ///
    /// - Throws: `invalid_parameter` (400) for a missing or malformed `user_id`, a count that is
    ///   not a whole number, or an unknown `rank`; `count_out_of_range` for an absurdly large count.
    public static func parse(query: String) throws(APIError) -> RecommendRequest {
        let parameters = URLQueryParameters(query)
        guard let user = try parameters.value(anyOf: ["user_id"]) else {
            throw APIError(.invalidParameter, "name the user: /api/recommend?user_id=1&top=20")
        }
        guard let userID = Int32(user.value) else {
            throw APIError(.invalidParameter, "'user_id' must be a whole-number user id, not '\(user.value)'")
        }
        var count = PredictRequest.defaultCount
        if let top = try parameters.value(anyOf: PredictRequest.countNames) {
            count = try RequestFieldReader.count(queryText: top.value, name: top.name, range: RecommendationEngine.recommendationCountRange)
        }
        return RecommendRequest(userID: userID, count: count, ranking: try RequestFieldReader.ranking(in: parameters))
    }
}
