import ArgumentParser
import RecCore

/// `rec-cli evaluate --dataset=PATH`: scores the current model on a ratings file.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print the current model's RMSE, MAE, precision@10 and NDCG@10 on a ratings file, and store them for /api/info.",
        discussion: """
            Precision@10 and NDCG@10 rank each user's rows of the file by predicted rating; a row is relevant \
            when rated 4 or more; users without a relevant row are skipped (docs/accuracy.md). The value a \
            random order would get is shown in brackets.
            """
    )

    @Option(help: "The ratings file to score.")
    var dataset: String

    func run() throws {
        let metrics = try CLIEnvironment.model().evaluate(dataset: dataset)
        print("RMSE: \(CLIFormat.rmse(metrics.rmse))")
        print("MAE: \(CLIFormat.rmse(metrics.meanAbsoluteError))")
        print("Rows: \(metrics.rows)")
        print("Fallback rows: \(metrics.fallbackRows) (unknown user or movie, predicted from biases)")
        if let precision = metrics.precisionAt10, let ndcg = metrics.ndcgAt10 {
            let users = metrics.rankedUsers ?? 0
            print("Precision@10: \(CLIFormat.rmse(precision)) (random order: \(CLIFormat.rmse(metrics.randomPrecisionAt10 ?? 0)); \(users) users with a rating ≥ 4)")
            print("NDCG@10: \(CLIFormat.rmse(ndcg)) (random order: \(CLIFormat.rmse(metrics.randomNDCGAt10 ?? 0)))")
        }
        print("Model generation: \(metrics.generation)")
    }
}
