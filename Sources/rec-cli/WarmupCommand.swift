import ArgumentParser
import RecCore

/// `rec-cli warmup`: loads and fully validates the current model, then summarises it.
struct WarmupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warmup",
        abstract: "Load and validate the current model (checksum included) and print its summary."
    )

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let model = try CLIEnvironment.model().warmup()
        let elapsed = clock.now - start
        let metadata = try model.metadata()
        print("Model generation \(model.generation): \(metadata.algorithm), \(model.factorCount) factors")
        print("Movies: \(model.itemCount), users: \(model.userCount), trained on \(metadata.ratings) ratings from \(metadata.dataset)")
        if let validation = metadata.validationRMSE { print("Validation RMSE: \(CLIFormat.rmse(validation))") }
        print(
            "File: \(model.path) (\(model.fileSize) bytes), loaded and verified in \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1))))"
        )
    }
}
