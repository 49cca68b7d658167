import ArgumentParser
import Foundation
import RecCore

/// `rec-cli train --dataset=PATH`: trains a model and publishes it as a new generation.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a ratings file and publish it to data/model/.",
        discussion: """
            Hyper-parameters are chosen on a validation split carved from the training file \
            (--validation-fraction, seeded by --seed); the chosen model is then refit on every rating. \
            Models: \(ModelAlgorithm.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")). \
            The default is \(ModelAlgorithm.defaultAlgorithm.rawValue). A published model is served after /api/reload, \
            or at once when \(RecSettings.autoReloadVariable)=1.
            """
    )

    @Option(help: "The ratings file: '::', CSV or tab separated, 3 or 4 columns.")
    var dataset: String

    @Option(help: "The movie catalogue (default: movies.dat, u.item or movies.csv next to the dataset).")
    var movies: String?

    @Option(help: "The model to train: \(ModelAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: String = ModelAlgorithm.defaultAlgorithm.rawValue

    @Option(help: "The seed of the validation split, shuffles and initialisation.")
    var seed: UInt64 = TrainingOptions.defaultSeed

    @Option(help: "The fraction of the training file held out to choose hyper-parameters (0 to skip).")
    var validationFraction: Double = TrainingOptions.defaultValidationFraction

    @Option(
        name: .customLong("hyperparameter"), parsing: .singleValue,
        help: ArgumentHelp("Fix a hyper-parameter, e.g. --hyperparameter factors=64 (repeatable).", valueName: "name=value"))
    var hyperparameters: [String] = []

    @Flag(help: "Train with the defaults (and fixed hyper-parameters) instead of searching the grid.")
    var noSearch = false

    @Flag(help: "Trade time for accuracy: the model's quality preset (for the Bayesian models 64 factors and 600 sweeps, several minutes).")
    var quality = false

    @Option(help: "Threads to use (default: all cores).")
    var threads: Int = TrainingOptions.availableCores

    func validate() throws {
        guard ModelAlgorithm(rawValue: model) != nil else {
            throw ValidationError(
                "unknown model '\(model)'; choose one of \(ModelAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        _ = try parsedHyperparameters()
    }

    func parsedHyperparameters() throws -> [String: Double] {
        var values: [String: Double] = [:]
        for pair in hyperparameters {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]) else {
                throw ValidationError("--hyperparameter expects name=value with a number, not '\(pair)'")
            }
            values[parts[0]] = value
        }
        return values
    }

    func run() throws {
        let logger = CLIEnvironment.logger
        let algorithm = ModelAlgorithm(rawValue: model)!
        var fixed = try parsedHyperparameters()
        if quality { fixed = algorithm.qualityHyperparameters.merging(fixed) { _, user in user } }
        logger.info(
            "training started",
            metadata: [
                "dataset": "\(dataset)", "model": "\(model)", "seed": "\(seed)",
                "quality": "\(quality)",
            ])
        let progress = TrainingProgressPrinter(isTerminal: CLIEnvironment.standardErrorIsTerminal)
        let published: PublishedModel
        do {
            published = try CLIEnvironment.model().train(
                dataset: dataset,
                configure: { options in
                    options.moviesPath = movies
                    options.algorithm = algorithm
                    options.seed = seed
                    options.validationFraction = validationFraction
                    options.hyperparameters = fixed
                    options.searchHyperparameters = !noSearch
                    options.threadCount = threads
                }, progress: { progress.report($0) })
        } catch let error as TrainingError where error.code == .invalidHyperparameter || error.code == .invalidOption {
            progress.finish()
            throw CLIUsageError(message: error.message)
        }
        progress.finish()
        let result = published.training
        let metadata = result.artifact.metadata
        print(
            "Trained \(metadata.algorithm) on \(dataset): \(metadata.ratings) ratings, \(metadata.users) users, \(metadata.movies) movies")
        for candidate in result.candidates {
            let name =
                candidate.overrides.isEmpty
                ? "defaults"
                : candidate.overrides.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\(CLIFormat.number($0.value))" }.joined(separator: " ")
            let epoch = metadata.hyperparameters["epochs"] != nil ? " at epoch \(candidate.bestEpoch)" : ""
            print("  candidate \(name): validation RMSE \(CLIFormat.rmse(candidate.validationRMSE))\(epoch)")
        }
        if let validation = result.validationRMSE {
            print("Validation RMSE: \(CLIFormat.rmse(validation)) (\(CLIFormat.number(validationFraction * 100))% hold-out, seed \(seed))")
        }
        print("Training RMSE: \(CLIFormat.rmse(result.trainingRMSE))")
        print("Time: \(String(format: "%.1f", result.timings.totalSeconds)) s")
        published.printPublication()
    }
}
