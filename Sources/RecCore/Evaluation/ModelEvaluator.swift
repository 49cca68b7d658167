import RecAPI
import RecModels

/// Scores a model on every row of a ratings file.
public enum ModelEvaluator {
    /// The predictions for every row of `table`, in row order, and how many used a fallback.
    public static func predictions(of engine: RecommendationEngine, for table: RatingTable) -> (ratings: [Float], fallbackRows: Int) {
        let (predictions, fallbackRows) = allPredictions(of: engine, for: table)
        return (predictions.map(\.rating), fallbackRows)
    }

    /// RMSE, MAE, fallback counts and ranking metrics of `engine` on `table`.
    public static func evaluate(
        _ engine: RecommendationEngine, on table: RatingTable, dataset: String,
        evaluatedAt: String
    ) -> EvaluationMetrics {
        let (predictions, fallbackRows) = allPredictions(of: engine, for: table)
        let predicted = predictions.map(\.rating)
        // Ranked by the unclamped prediction, so movies above 5 keep their order.
        let ranking = RankingMetrics.evaluate(
            userIDs: table.userIDs, movieIDs: table.movieIDs, ratings: table.ratings,
            scores: predictions.map(\.unclampedRating))
        return EvaluationMetrics(
            generation: engine.model.generation, dataset: dataset,
            rmse: RatingMetrics.rmse(predictions: predicted, actual: table.ratings),
            meanAbsoluteError: RatingMetrics.meanAbsoluteError(predictions: predicted, actual: table.ratings),
            rows: table.count, fallbackRows: fallbackRows, evaluatedAt: evaluatedAt, ranking: ranking)
    }

    private static func allPredictions(of engine: RecommendationEngine, for table: RatingTable) -> ([RatingPrediction], Int) {
        var fallbackRows = 0
        let predictions = (0..<table.count).map { row in
            let prediction = engine.predictRating(userID: table.userIDs[row], movieID: table.movieIDs[row])
            if prediction.isFallback { fallbackRows += 1 }
            return prediction
        }
        return (predictions, fallbackRows)
    }
}
