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

    /// Creates metrics.
    public init(generation: Int, dataset: String, rmse: Double, meanAbsoluteError: Double, rows: Int, fallbackRows: Int,
                evaluatedAt: String) {
        self.generation = generation
        self.dataset = dataset
        self.rmse = rmse
        self.meanAbsoluteError = meanAbsoluteError
        self.rows = rows
        self.fallbackRows = fallbackRows
        self.evaluatedAt = evaluatedAt
    }

    enum CodingKeys: String, CodingKey {
        case generation, dataset, rmse, rows
        case meanAbsoluteError = "mae"
        case fallbackRows = "fallback_rows"
        case evaluatedAt = "evaluated_at"
    }
}

/// Scores a model on every row of a ratings file.
public enum ModelEvaluator {
    /// The predictions for every row of `table`, in row order, and how many used a fallback.
    public static func predictions(of engine: RecommendationEngine, for table: RatingTable) -> (ratings: [Float], fallbackRows: Int) {
        var fallbackRows = 0
        let predictions = (0..<table.count).map { row in
            let prediction = engine.predictRating(userID: table.userIDs[row], movieID: table.movieIDs[row])
            if prediction.isFallback { fallbackRows += 1 }
            return prediction.rating
        }
        return (predictions, fallbackRows)
    }

    /// RMSE, MAE and fallback counts of `engine` on `table`.
    public static func evaluate(_ engine: RecommendationEngine, on table: RatingTable, dataset: String,
                                evaluatedAt: String) -> EvaluationMetrics {
        let (predicted, fallbackRows) = predictions(of: engine, for: table)
        return EvaluationMetrics(generation: engine.model.generation, dataset: dataset,
                                 rmse: RatingMetrics.rmse(predictions: predicted, actual: table.ratings),
                                 meanAbsoluteError: RatingMetrics.meanAbsoluteError(predictions: predicted, actual: table.ratings),
                                 rows: table.count, fallbackRows: fallbackRows, evaluatedAt: evaluatedAt)
    }
}
