import ArgumentParser
import RecCore

/// `rec-cli evaluate --dataset=PATH`: scores the current model on a ratings file.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print the current model's RMSE and MAE on a ratings file, and store them for /api/info."
    )

    @Option(help: "The ratings file to score.")
    var dataset: String

    func run() throws {
        let metrics = try CLIEnvironment.model().evaluate(dataset: dataset)
        print("RMSE: \(CLIFormat.rmse(metrics.rmse))")
        print("MAE: \(CLIFormat.rmse(metrics.meanAbsoluteError))")
        print("Rows: \(metrics.rows)")
        print("Fallback rows: \(metrics.fallbackRows) (unknown user or movie, predicted from biases)")
        print("Model generation: \(metrics.generation)")
    }
}
