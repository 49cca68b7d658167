/// An API request that cannot be answered with a 200, and the JSON error it becomes.
///
/// Every error response has the SPEC's shape
/// `{"error": {"code": "snake_case", "message": "human sentence", "request_id": "..."}}`; an
/// unknown movie adds `"unknown": [queries]` and `"suggestions": {query: [up to 3 titles]}`.
/// The status follows from the code, so the two can never disagree.
public struct APIError: Error, Sendable, Equatable {
    /// What went wrong, as the `code` member of the error body.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The body is not valid JSON (400).
        case malformedJSON = "malformed_json"
        /// The JSON or a parameter has the wrong shape or type (400).
        case invalidShape = "invalid_shape"
        /// The movie list and the rating list have different lengths (400).
        case mismatchedLengths = "mismatched_lengths"
        /// A query-string parameter is not what the endpoint takes, for example `?n=ten` (400).
        case invalidParameter = "invalid_parameter"
        /// `/api/reload` without the admin token (401).
        case unauthorized
        /// No such endpoint (404).
        case notFound = "not_found"
        /// `/api/recommend` for a user id that is not in the training data (404).
        case unknownUser = "unknown_user"
        /// The endpoint exists but not for this method; the `Allow` header lists the right ones (405).
        case methodNotAllowed = "method_not_allowed"
        /// The generation a reload would serve is corrupt or missing (409).
        case invalidModel = "invalid_model"
        /// The served generation does not record who rated what, so it cannot recommend to a
        /// known user; a newer training run does (409).
        case noUserHistory = "no_user_history"
        /// The body is over 64 KiB (413).
        case bodyTooLarge = "body_too_large"
        /// A movie matched nothing; `unknown` and `suggestions` say which and what is close (422).
        case unknownMovie = "unknown_movie"
        /// A rating is not a number from 1 to 5 (422).
        case invalidRating = "invalid_rating"
        /// M, n or lines is out of its range (422).
        case countOutOfRange = "count_out_of_range"
        /// More rated movies than one request may give.
        case tooManyMovies = "too_many_movies"
        /// No rated movies were given (422).
        case emptyInput = "empty_input"
        /// The movie has too few ratings to have similar movies (422).
        case noSimilarityData = "no_similarity_data"
        /// The reload could not write the control file (500).
        case reloadFailed = "reload_failed"
        /// The log exists but cannot be read (500).
        case logUnavailable = "log_unavailable"
        /// No model is served (503).
        case noModel = "no_model"
        /// More requests than a limit allows (reloads in the worker; nginx uses the same code).
        case tooManyRequests = "too_many_requests"
        /// `/api/metrics` is on but the pool's shared counters cannot be read (503).
        case metricsUnavailable = "metrics_unavailable"

        /// The HTTP status of an error with this code.
        public var status: Int {
            switch self {
            case .malformedJSON, .invalidShape, .mismatchedLengths, .invalidParameter: return 400
            case .unauthorized: return 401
            case .notFound, .unknownUser: return 404
            case .methodNotAllowed: return 405
            case .invalidModel, .noUserHistory: return 409
            case .bodyTooLarge: return 413
            case .unknownMovie, .invalidRating, .countOutOfRange, .tooManyMovies, .emptyInput, .noSimilarityData: return 422
            case .reloadFailed, .logUnavailable: return 500
            case .noModel, .metricsUnavailable: return 503
            case .tooManyRequests: return 429
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for the person who sent the request.
    public var message: String
    /// The movies that matched nothing, with their suggestions (`unknownMovie` only).
    public var unknownMovies: [UnknownMovie]
    /// The methods the endpoint takes, for the `Allow` header (`methodNotAllowed` only).
    public var allowedMethods: [String]
    /// The cause of a 5xx for the log, when it says more than `message`.
    public var failure: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, unknownMovies: [UnknownMovie] = [], allowedMethods: [String] = [],
        failure: String? = nil, status: Int? = nil
    ) {
        self.status = status ?? code.status
        self.code = code
        self.message = message
        self.unknownMovies = unknownMovies
        self.allowedMethods = allowedMethods
        self.failure = failure
    }

    /// The API error for a refused query, keeping its message and unknown movies.
    public init(_ error: QueryError) {
        let code: Code
        switch error.code {
        case .invalidShape: code = .invalidShape
        case .mismatchedLengths: code = .mismatchedLengths
        case .unknownMovie: code = .unknownMovie
        case .invalidRating: code = .invalidRating
        case .countOutOfRange: code = .countOutOfRange
        case .tooManyMovies: code = .tooManyMovies
        case .emptyInput: code = .emptyInput
        case .noSimilarityData: code = .noSimilarityData
        case .unknownUser: code = .unknownUser
        case .noUserHistory: code = .noUserHistory
        }
        self.init(code, error.message, unknownMovies: error.unknownMovies)
    }

    /// The API error for a body that is not valid JSON.
    public init(_ error: JSONParseError) {
        self.init(.malformedJSON, "the body is not valid JSON: \(error)")
    }

    /// The HTTP status: the code's, unless the error was made with another (a damaged served
    /// model is `invalid_model` with 503, where a refused reload is `invalid_model` with 409).
    public var status: Int

    /// The response: the status, the JSON body with `requestID`, an `Allow` header for 405, a
    /// `WWW-Authenticate` header for 401, and for a 5xx the cause for the log.
    public func response(requestID: String) -> APIResponse {
        var body: [UInt8] = []
        body.reserveCapacity(96 + message.utf8.count + requestID.utf8.count)
        body.append(contentsOf: #"{"error":{"code":"#.utf8)
        JSONWriter.writeString(code.rawValue, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        JSONWriter.writeString(message, to: &body)
        body.append(contentsOf: #","request_id":"#.utf8)
        JSONWriter.writeString(requestID, to: &body)
        if !unknownMovies.isEmpty {
            body.append(contentsOf: #","unknown":"#.utf8)
            JSONWriter.write(.array(unknownMovies.map { .string($0.query) }), to: &body)
            body.append(contentsOf: #","suggestions":"#.utf8)
            var seen = Set<String>()
            let members = unknownMovies.compactMap { unknown -> (key: String, value: JSONValue)? in
                guard seen.insert(unknown.query).inserted else { return nil }
                return (unknown.query, .array(unknown.suggestions.prefix(RecommendationEngine.suggestionCount).map { .string($0) }))
            }
            JSONWriter.write(.object(members), to: &body)
        }
        body.append(contentsOf: "}}".utf8)
        var headers: [APIResponse.HeaderField] = []
        if code == .methodNotAllowed {
            headers.append(APIResponse.HeaderField(name: "Allow", value: allowedMethods.joined(separator: ", ")))
        }
        if code == .unauthorized {
            headers.append(APIResponse.HeaderField(name: "WWW-Authenticate", value: #"Bearer realm="RecServe""#))
        }
        return APIResponse(
            status: status, headers: headers, body: body,
            failure: status >= 500 ? (failure ?? message) : nil)
    }
}
