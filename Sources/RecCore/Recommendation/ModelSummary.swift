import Foundation
import RecModelFile
import RecModels

/// The JSON description of a loaded model generation: what `rec-cli info` prints and the
/// `model` object of `/api/info` and `/api/reload`.
public enum ModelSummary {
    /// `{"generation", "algorithm", "trained_at", "training_seconds", "dataset", "ratings",
    /// "hyperparameters", "metrics": {"validation_rmse", "test_rmse", "evaluated_at"},
    /// "ranking", ...}`. The test figures come from `evaluation` only when it was measured on
    /// this generation.
    public static func json(of model: LoadedModel, evaluation: EvaluationMetrics?) throws(ModelFileError) -> JSONValue {
        let metadata = try model.metadata()
        let matchingEvaluation = evaluation.flatMap { $0.generation == model.generation ? $0 : nil }
        let hyperparameters = metadata.hyperparameters.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.number($0.value)) }
        let metrics: [(key: String, value: JSONValue)] = [
            ("validation_rmse", metadata.validationRMSE.map { .number(rounded($0)) } ?? .null),
            ("training_rmse", metadata.trainingRMSE.map { .number(rounded($0)) } ?? .null),
            ("test_rmse", matchingEvaluation.map { .number(rounded($0.rmse)) } ?? .null),
            ("test_mae", matchingEvaluation.map { .number(rounded($0.meanAbsoluteError)) } ?? .null),
            ("test_dataset", matchingEvaluation.map { .string($0.dataset) } ?? .null),
            ("evaluated_at", matchingEvaluation.map { .string($0.evaluatedAt) } ?? .null),
        ]
        return .object([
            ("generation", .number(Double(model.generation))),
            ("algorithm", .string(metadata.algorithm)),
            ("trained_at", .string(metadata.trainedAt)),
            ("training_seconds", .number(rounded(metadata.trainingSeconds, places: 2))),
            ("dataset", .string(metadata.dataset)),
            ("ratings", .number(Double(metadata.ratings))),
            ("users", .number(Double(metadata.users))),
            ("movies", .number(Double(metadata.movies))),
            ("factors", .number(Double(model.factorCount))),
            ("seed", .number(Double(metadata.seed))),
            ("validation_fraction", .number(metadata.validationFraction)),
            ("hyperparameters", .object(hyperparameters)),
            ("metrics", .object(metrics)),
            ("ranking", try ranking(metadata.ranking, path: model.path)),
            ("file", .object([("path", .string(model.path)), ("bytes", .number(Double(model.fileSize)))])),
        ])
    }

    /// How the lists' ranking model was made and chosen (`RankingSummary`, the metadata's
    /// `ranking` object in its current form, so a generation written before a key was renamed
    /// shows the new key), or `null` for a generation without a ranking model.
    private static func ranking(_ summary: RankingSummary?, path: String) throws(ModelFileError) -> JSONValue {
        guard let summary else { return .null }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try JSONParser.parse(try encoder.encode(summary))
        } catch {
            throw ModelFileError(.corruptSection, path: path, reason: "the ranking metadata cannot be re-encoded as JSON (\(error))")
        }
    }

    private static func rounded(_ value: Double, places: Double = 4) -> Double {
        let scale = pow10(places)
        return (value * scale).rounded() / scale
    }

    private static func pow10(_ places: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(places) { result *= 10 }
        return result
    }
}
