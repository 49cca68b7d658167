/// A `/api/similar` request, read from its JSON body (`POST`) or its query string (`GET`).
///
/// The movie is `movie_name` (a title, or an integer movie id in a JSON body) or `movie_id`;
/// the count is `n` (aliases `N`, `top`), 5 by default. A `POST` may leave fields to the
/// query string; the body's values win. Shapes are checked here (400); the count's range and
/// the title are checked by `RecommendationEngine` (422).
public struct SimilarRequest: Sendable, Equatable {
    /// The names the count goes by.
    public static let countNames = ["n", "N", "top"]
    /// The count when the request does not give it.
    public static let defaultCount = 5

    /// The movie to find neighbours of.
    public var movie: MovieReference
    /// How many similar movies to return (not yet range-checked).
    public var count: Int

    /// Creates a request.
    public init(movie: MovieReference, count: Int) {
        self.movie = movie
        self.count = count
    }

    /// Reads a request from its `body` (ignored when blank) and `query` string.
    ///
    /// - Throws: `APIError` with `malformed_json`, `invalid_shape` or `invalid_parameter`
    ///   (all 400), or `count_out_of_range` for an absurdly large count.
    public static func parse(body: [UInt8], query: String) throws(APIError) -> SimilarRequest {
        var movie: MovieReference?
        var count: Int?
        if !RequestFieldReader.isBlank(body) {
            let document: JSONValue
            do throws(JSONParseError) {
                document = try JSONParser.parse(body)
            } catch {
                throw APIError(error)
            }
            guard case .object(let members) = document else {
                throw APIError(
                    .invalidShape, #"expected an object such as {"movie_name": "Toy Story", "n": 5}, not "# + document.kindDescription)
            }
            if let named = try RequestFieldReader.member(of: members, anyOf: ["movie_name", "movie_id"]) {
                movie = try reference(named.value, name: named.name)
            }
            if let top = try RequestFieldReader.member(of: members, anyOf: countNames) {
                count = try RequestFieldReader.count(top.value, name: top.name, range: RecommendationEngine.similarCountRange)
            }
        }
        if (movie == nil || count == nil) && !query.isEmpty {
            let parameters = URLQueryParameters(query)
            if movie == nil, let named = try parameters.value(anyOf: ["movie_name", "movie_id"]) {
                if named.name == "movie_id" {
                    guard let id = Int32(named.value) else {
                        throw APIError(.invalidParameter, "'movie_id' must be a whole-number movie id, not '\(named.value)'")
                    }
                    movie = .id(id)
                } else {
                    movie = try title(named.value)
                }
            }
            if count == nil, let top = try parameters.value(anyOf: countNames) {
                count = try RequestFieldReader.count(queryText: top.value, name: top.name, range: RecommendationEngine.similarCountRange)
            }
        }
        guard let movie else {
            throw APIError(.invalidShape, #"name the movie: {"movie_name": "Toy Story", "n": 5}, or ?movie_name=Toy+Story&n=5"#)
        }
        return SimilarRequest(movie: movie, count: count ?? defaultCount)
    }

    /// The movie in a JSON member: a title string, or a whole-number id.
    private static func reference(_ value: JSONValue, name: String) throws(APIError) -> MovieReference {
        switch value {
        case .string(let text) where name == "movie_name":
            return try title(text)
        case .number:
            guard let id = value.integer, let movieID = Int32(exactly: id) else {
                throw APIError(.invalidShape, "'\(name)' must be a title or a whole-number movie id, not \(JSONWriter.string(value))")
            }
            return .id(movieID)
        default:
            throw APIError(
                .invalidShape,
                "'\(name)' must be \(name == "movie_id" ? "a whole-number movie id" : "a title or a movie id"), not \(value.kindDescription)"
            )
        }
    }

    private static func title(_ text: String) throws(APIError) -> MovieReference {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw APIError(.invalidShape, "'movie_name' is empty; give a title such as \"Toy Story\"")
        }
        return .title(text)
    }
}
