import ArgumentParser
import RecCore

/// `rec-cli info`: the current model's metadata as JSON.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the current model's metadata (and its last evaluation) as JSON."
    )

    func run() throws {
        let model = try CLIEnvironment.model().store.openCurrent()
        let evaluation = EvaluationRecord.load(in: CLIEnvironment.dataDirectory)
        print(JSONWriter.string(try ModelSummary.json(of: model, evaluation: evaluation)))
    }
}
