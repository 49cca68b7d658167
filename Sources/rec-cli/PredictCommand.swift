import ArgumentParser
import Foundation
import RecCore

/// `rec-cli predict --dataset=PATH`: writes a prediction for every row of a ratings file.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict a rating for every (user, movie) row and write user_id,movie_id,rating,prediction as CSV."
    )

    @Option(help: "The ratings file whose rows to predict.")
    var dataset: String

    @Option(help: "Where to write the CSV (default: $REC_DATA_DIR/predictions.csv).")
    var output: String?

    func run() throws {
        let engine = try CLIEnvironment.model().currentEngine()
        let table = try RatingsFileParser.load(path: dataset)
        let (predictions, fallbackRows) = ModelEvaluator.predictions(of: engine, for: table)
        var csv = "user_id,movie_id,rating,prediction\n"
        csv.reserveCapacity(table.count * 24)
        for row in 0..<table.count {
            csv += "\(table.userIDs[row]),\(table.movieIDs[row]),\(CLIFormat.number(Double(table.ratings[row]))),"
            csv += String(format: "%.4f", predictions[row]) + "\n"
        }
        let path = output ?? CLIEnvironment.dataDirectory.predictionsFile
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try SystemCalls.makeDirectories(folder) }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        let rmse = RatingMetrics.rmse(predictions: predictions, actual: table.ratings)
        CLIEnvironment.logger.info(
            "wrote predictions",
            metadata: [
                "dataset": "\(dataset)", "output": "\(path)", "rows": "\(table.count)", "rmse": "\(CLIFormat.rmse(rmse))",
            ])
        print("Wrote \(table.count) predictions to \(path)")
        print("RMSE against the file's ratings: \(CLIFormat.rmse(rmse)) (fallback rows: \(fallbackRows))")
        print("Model generation: \(engine.model.generation)")
    }
}
