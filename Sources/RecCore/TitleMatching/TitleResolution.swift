/// What a title query resolved to.
public enum TitleResolution: Sendable, Equatable {
    /// The normalised query equals a key of this movie (the most-rated one when several share it).
    case exact(item: Int32)
    /// No key matched exactly; this movie is the best fuzzy match, scoring at least
    /// `TitleMatcher.fuzzyThreshold` (at most 1).
    case fuzzy(item: Int32, score: Double)
    /// Nothing matched well enough. `suggestions` are up to `TitleMatcher.suggestionLimit`
    /// items, best first, each scoring at least `TitleMatcher.suggestionThreshold`; empty
    /// when nothing is even that close.
    case notFound(suggestions: [Int32])

    /// The resolved item, or nil when the query was not found.
    public var item: Int32? {
        switch self {
        case .exact(let item), .fuzzy(let item, _): item
        case .notFound: nil
        }
    }
}

/// A movie that resembles a query, with how closely.
public struct TitleSuggestion: Sendable, Equatable {
    /// The dense item index of the movie.
    public var item: Int32
    /// The fuzzy score, from 0 to 1 (see `TitleMatcher`); for a `TitleSearch` result, its
    /// search score, also from 0 to 1.
    public var score: Double

    /// Creates a suggestion.
    public init(item: Int32, score: Double) {
        self.item = item
        self.score = score
    }
}
