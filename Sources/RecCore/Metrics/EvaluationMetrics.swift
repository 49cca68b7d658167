/// The result of `rec-cli evaluate`: accuracy of the current model on a ratings file.
///
/// Stored as `data/model/evaluation.json` so `/api/info` can show it next to the model it
/// belongs to.
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    /// The model generation that was evaluated.
    public var generation: Int
    /// The ratings file.
    public var dataset: String
    /// Root mean squared error of the clamped predictions.
    public var rmse: Double
    /// Mean absolute error of the clamped predictions.
    public var meanAbsoluteError: Double
    /// The number of rows scored.
    public var rows: Int
    /// Rows whose user or movie the model did not know, predicted from biases alone.
    public var fallbackRows: Int
    /// When the evaluation ran, ISO-8601 UTC.
    public var evaluatedAt: String
    /// Mean precision@10 of each user's rows ranked by prediction (`RankingMetrics`).
    public var precisionAt10: Double?
    /// Mean NDCG@10 of each user's rows ranked by prediction (`RankingMetrics`).
    public var ndcgAt10: Double?
    /// The expected precision@10 of a random order, for reference.
    public var randomPrecisionAt10: Double?
    /// The expected NDCG@10 of a random order, for reference.
    public var randomNDCGAt10: Double?
    /// The users the ranking metrics average over (those with a row rated 4 or more).
    public var rankedUsers: Int?

    /// Creates metrics.
    public init(
        generation: Int, dataset: String, rmse: Double, meanAbsoluteError: Double, rows: Int, fallbackRows: Int,
        evaluatedAt: String, ranking: RankingMetrics.Result? = nil
    ) {
        self.generation = generation
        self.dataset = dataset
        self.rmse = rmse
        self.meanAbsoluteError = meanAbsoluteError
        self.rows = rows
        self.fallbackRows = fallbackRows
        self.evaluatedAt = evaluatedAt
        precisionAt10 = ranking?.precision
        ndcgAt10 = ranking?.normalizedDiscountedCumulativeGain
        randomPrecisionAt10 = ranking?.randomPrecision
        randomNDCGAt10 = ranking?.randomNormalizedDiscountedCumulativeGain
        rankedUsers = ranking?.users
    }

    enum CodingKeys: String, CodingKey {
        case generation, dataset, rmse, rows
        case meanAbsoluteError = "mae"
        case fallbackRows = "fallback_rows"
        case evaluatedAt = "evaluated_at"
        case precisionAt10 = "precision_at_10"
        case ndcgAt10 = "ndcg_at_10"
        case randomPrecisionAt10 = "random_precision_at_10"
        case randomNDCGAt10 = "random_ndcg_at_10"
        case rankedUsers = "ranked_users"
    }
}
