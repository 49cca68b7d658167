/// The endpoints of the HTTP API, their paths and the methods each one takes.
public enum APIEndpoint: String, Sendable, CaseIterable {
    /// `POST /api/predict`: recommendations for a new person.
    case predict = "/api/predict"
    /// `GET /api/recommend?user_id=ID`: recommendations for a training user.
    case recommend = "/api/recommend"
    /// `POST` or `GET /api/similar`: the movies most similar to one movie.
    case similar = "/api/similar"
    /// `GET /api/log`: the last lines of the log as a JSON array.
    case log = "/api/log"
    /// `GET /api/log/download`: the whole log as a `text/plain` attachment.
    case logDownload = "/api/log/download"
    /// `GET /api/info`: credentials, service and model metadata.
    case info = "/api/info"
    /// `POST` (or `GET`) `/api/reload`: serve the `CURRENT` generation everywhere.
    case reload = "/api/reload"
    /// `GET /api/health`: whether a model is served, and which.
    case health = "/api/health"
    /// `GET /api/metrics`: the pool's counters in Prometheus' text format (`REC_METRICS`).
    case metrics = "/api/metrics"
    /// `GET /api/movies?q=TEXT&limit=N`: the catalogue movies matching a partial or misspelt
    /// title, for type-ahead.
    case movies = "/api/movies"

    /// The path, for example `/api/predict`.
    public var path: String { rawValue }

    /// The methods the endpoint answers, in the order the `Allow` header lists them.
    ///
    /// Read-only endpoints also take `HEAD`; `/api/reload` changes state, so it takes `POST` and,
    /// as the SPEC allows, `GET`, but not `HEAD`.
    public var allowedMethods: [String] {
        switch self {
        case .predict: return ["POST"]
        case .similar: return ["GET", "HEAD", "POST"]
        case .recommend, .log, .logDownload, .info, .health, .metrics, .movies: return ["GET", "HEAD"]
        case .reload: return ["GET", "POST"]
        }
    }

    /// Whether answering reads the served model file's mapped bytes, so that an answer computed
    /// while the file changed on disk must be withdrawn (see `APIService`).
    ///
    /// `/api/info` decodes the served model's metadata from the mapping, and `/api/movies` copies
    /// titles, genres and rating counts from it. `/api/reload` describes
    /// the generation it has just validated, not the one served before; `/api/health` reports
    /// only the generation number, `/api/metrics` the shared counters, and the log endpoints never
    /// touch the model. The switch is exhaustive so that a new endpoint has to decide.
    public var readsServedModel: Bool {
        switch self {
        case .predict, .recommend, .similar, .info, .movies: true
        case .log, .logDownload, .health, .reload, .metrics: false
        }
    }

    /// Whether the endpoint needs `Authorization: Bearer <REC_ADMIN_TOKEN>` when an admin token
    /// is set: `/api/reload` changes what every worker serves, and the log endpoints show request
    /// lines, client errors and file paths, which a public address should not hand to anyone.
    /// With no token set every endpoint is open, as the homework's clients expect. The switch is
    /// exhaustive so that a new endpoint has to decide.
    public var requiresAdminToken: Bool {
        switch self {
        case .reload, .log, .logDownload: true
        case .predict, .recommend, .similar, .info, .health, .metrics, .movies: false
        }
    }

    /// The endpoint at `path`, which may end in one extra `/`; `nil` for any other path.
    public init?(path: String) {
        if let endpoint = APIEndpoint(rawValue: path) {
            self = endpoint
        } else if path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/"), let endpoint = APIEndpoint(rawValue: String(path.dropLast())) {
            self = endpoint
        } else {
            return nil
        }
    }
}
