/// A `POST /api/predict` request, read from its body and query string.
///
/// The body is either the homework's bare `[[movies], [ratings]]`, or an object with the list
/// under `movies` (aliases `data`, `movies_ratings`) and M under `top` (aliases `M`, `top_m`,
/// `n`). M may also come from the query (`?top=10`, same aliases); the body's value wins. The
/// ranking is `rank` in the object body or the query: `relevance` (the default) or `rating`. A
/// movie is a title or an integer movie id. Shapes are checked here (400); ratings, M's range
/// and titles are checked by `RecommendationEngine` (422), so the CLI and the API agree.
public struct PredictRequest: Sendable, Equatable {
    /// The names the rated-movie list goes by in an object body.
    public static let listNames = ["movies", "data", "movies_ratings"]
    /// The names M goes by, in the body and in the query.
    public static let countNames = ["top", "M", "top_m", "n"]
    /// M when the request does not give it.
    public static let defaultCount = 20

    /// The rated movies, in the order given.
    public var ratings: [(movie: MovieReference, rating: Double)]
    /// How many recommendations to return (not yet range-checked).
    public var count: Int
    /// Which movies the list picks.
    public var ranking: RecommendationRanking

    /// Creates a request.
    public init(ratings: [(movie: MovieReference, rating: Double)], count: Int, ranking: RecommendationRanking = .defaultRanking) {
        self.ratings = ratings
        self.count = count
        self.ranking = ranking
    }

    /// Reads a request from its `body` and `query` string.
    ///
    /// - Throws: `APIError` with `malformed_json`, `invalid_shape`, `mismatched_lengths` or
    ///   `invalid_parameter` (all 400), `count_out_of_range` for an absurdly large M, or
    ///   `too_many_movies` (422) for any array longer than `RecommendationEngine.ratedMovieLimit`.
    public static func parse(body: [UInt8], query: String) throws(APIError) -> PredictRequest {
        guard !RequestFieldReader.isBlank(body) else {
            throw APIError(
                .malformedJSON, #"the body is empty; send [[movies], [ratings]] or {"movies": [[movies], [ratings]], "top": 20}"#)
        }
        var (list, count, ranking) = try fields(of: try document(of: body))
        if !query.isEmpty, count == nil || ranking == nil {
            let parameters = URLQueryParameters(query)
            if count == nil, let top = try parameters.value(anyOf: countNames) {
                count = try RequestFieldReader.count(
                    queryText: top.value, name: top.name, range: RecommendationEngine.recommendationCountRange)
            }
            if ranking == nil { ranking = try RequestFieldReader.ranking(in: parameters) }
        }
        let ratings: [(movie: MovieReference, rating: Double)]
        do throws(QueryError) {
            ratings = try RatedMoviesInput.parse(list)
        } catch {
            throw APIError(error)
        }
        return PredictRequest(ratings: ratings, count: count ?? defaultCount, ranking: ranking ?? .defaultRanking)
    }

    /// The body parsed as JSON, with every array capped at the movie limit.
    private static func document(of body: [UInt8]) throws(APIError) -> JSONValue {
        do throws(JSONParseError) {
            // No array of a valid body is longer than the movie limit, so a longer one is
            // refused where it crosses the limit, not after parsing up to 64 KiB of titles.
            return try JSONParser.parse(body, maximumArrayLength: RecommendationEngine.ratedMovieLimit)
        } catch  where error.code == .tooLong {
            throw APIError(
                .tooManyMovies,
                "give at most \(RecommendationEngine.ratedMovieLimit) rated movies; an array of the body passes that at byte \(error.offset)"
            )
        } catch {
            throw APIError(error)
        }
    }

    /// The rated-movie list of a bare array, or the list, M and ranking of an object.
    private static func fields(
        of document: JSONValue
    ) throws(APIError) -> (list: JSONValue, count: Int?, ranking: RecommendationRanking?) {
        switch document {
        case .array:
            return (document, nil, nil)
        case .object(let members):
            guard let named = try RequestFieldReader.member(of: members, anyOf: listNames) else {
                throw APIError(
                    .invalidShape,
                    #"the object needs the rated movies as "movies": [[movies], [ratings]] (or under "data" or "movies_ratings")"#)
            }
            var count: Int?
            var ranking: RecommendationRanking?
            if let top = try RequestFieldReader.member(of: members, anyOf: countNames) {
                count = try RequestFieldReader.count(top.value, name: top.name, range: RecommendationEngine.recommendationCountRange)
            }
            if let rank = try RequestFieldReader.member(of: members, anyOf: ["rank"]) {
                guard case .string(let name) = rank.value else {
                    throw APIError(.invalidShape, "'rank' must be \"relevance\" or \"rating\", not \(rank.value.kindDescription)")
                }
                ranking = try RequestFieldReader.ranking(named: name)
            }
            return (named.value, count, ranking)
        default:
            throw APIError(
                .invalidShape,
                #"expected [[movies], [ratings]] or {"movies": [[movies], [ratings]], "top": 20}, not "# + document.kindDescription)
        }
    }

    /// Whether both ask for the same count and the same ratings in the same order (tuples are
    /// not `Equatable`, so this is spelled out).
    public static func == (lhs: PredictRequest, rhs: PredictRequest) -> Bool {
        lhs.count == rhs.count && lhs.ranking == rhs.ranking && lhs.ratings.count == rhs.ratings.count
            && zip(lhs.ratings, rhs.ratings).allSatisfy { $0.movie == $1.movie && $0.rating == $1.rating }
    }
}
