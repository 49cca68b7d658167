/// A movie as a person names it: by id, or by a title that is matched against the catalogue.
public enum MovieReference: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A MovieLens movie id.
    case id(Int32)
    /// A title, matched as documented in `docs/title-matching.md`.
    case title(String)

    /// The id as a number or the title as given.
    public var description: String {
        switch self {
        case .id(let id): return String(id)
        case .title(let title): return title
        }
    }
}

/// A movie reference resolved to an item of the loaded model.
public struct ResolvedMovie: Sendable, Equatable {
    /// How the reference was resolved.
    public enum Match: Sendable, Equatable {
        /// By movie id.
        case identifier
        /// By an exact normalised title.
        case exactTitle
        /// By the fuzzy title match, with its score.
        case fuzzyTitle(score: Double)
    }

    /// The dense item index in the loaded model.
    public var item: Int
    /// The movie id.
    public var movieID: Int32
    /// The catalogue title.
    public var title: String
    /// How it was found.
    public var match: Match

    /// Creates a resolved movie.
    public init(item: Int, movieID: Int32, title: String, match: Match) {
        self.item = item
        self.movieID = movieID
        self.title = title
        self.match = match
    }
}

/// A reference that matched no movie, with the closest candidates.
public struct UnknownMovie: Error, Sendable, Equatable {
    /// The id or title as given.
    public var query: String
    /// Up to three catalogue titles, best first.
    public var suggestions: [String]

    /// Creates an unknown-movie report.
    public init(query: String, suggestions: [String]) {
        self.query = query
        self.suggestions = suggestions
    }
}
