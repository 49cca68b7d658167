/// Which movies a list picks.
///
/// Either way the list is shown in descending order of the rating the model estimates for the
/// person; the ranking only decides which movies make it.
public enum RecommendationRanking: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The movies the person is most likely to watch and like: the ranking model's blend of
    /// who-rated-what and the rating estimate (`RankingBlend`). The default.
    case relevance
    /// The movies with the highest estimated rating, the rating model alone. Such lists favour
    /// obscure movies with high biases; `docs/accuracy.md` compares the two.
    case rating

    /// The ranking a request gets when it does not name one.
    public static let defaultRanking = RecommendationRanking.relevance

    /// The name as requests spell it: `relevance` or `rating`.
    public var description: String { rawValue }
}
