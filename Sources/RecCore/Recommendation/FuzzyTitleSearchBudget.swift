/// How many titles one request may still search for close matches, and whether a title went
/// unsearched because none were left.
///
/// A fuzzy search scores the query against every title of the catalogue, so a request gets
/// `RecommendationEngine.fuzzyTitleSearchLimit` of them; after that a title must match exactly.
/// The error for unknown titles mentions the budget only when it actually left one unsearched.
struct FuzzyTitleSearchBudget: Sendable {
    /// The fuzzy searches this request may still run.
    private(set) var remaining: Int
    /// Whether a title without an exact match was refused without a search.
    private(set) var leftATitleUnsearched = false

    init(searches: Int) { remaining = searches }

    /// Counts one fuzzy search as spent.
    mutating func spendOne() { remaining -= 1 }

    /// Notes that a title without an exact match was refused because no search was left.
    mutating func noteTitleLeftUnsearched() { leftATitleUnsearched = true }
}
