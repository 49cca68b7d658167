import ArgumentParser
import Foundation
import RecCore

/// `rec-cli import --als DIR`: publishes the factors Spark trained (`spark/train_als.py`) as a
/// new model generation.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Publish a model trained elsewhere (Spark ALS factors) to data/model/.",
        discussion: """
            --als DIR reads the interchange folder of spark/train_als.py (manifest.json, user_factors.csv, \
            item_factors.csv) and checks every file; a bad one fails with 'file: reason' and nothing is published. \
            The factors become a biased matrix factorisation; titles, similar movies and the ranking model are \
            made from the training ratings (--dataset, by default the manifest's source) as `rec-cli train` \
            makes them. A published model is served after /api/reload, or at once when \
            \(RecSettings.autoReloadVariable)=1.
            """
    )

    @Option(help: ArgumentHelp("The interchange folder spark/train_als.py wrote.", valueName: "dir"))
    var als: String

    @Option(help: "The ratings Spark trained on (default: the manifest's source); '::', CSV or tab separated.")
    var dataset: String?

    @Option(help: "The movie catalogue (default: movies.dat, u.item or movies.csv next to the ratings).")
    var movies: String?

    @Option(help: "Threads to use (default: all cores).")
    var threads: Int = TrainingOptions.availableCores

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let logger = CLIEnvironment.logger
        logger.info("import started", metadata: ["als": "\(als)", "dataset": "\(dataset ?? "manifest source")"])
        let published = try CLIEnvironment.model().importALS(directory: als) { options in
            options.datasetPath = dataset
            options.moviesPath = movies
            options.threadCount = threads
        }
        let result = published.training
        let metadata = result.artifact.metadata
        let rank = Int(metadata.hyperparameters["factors"] ?? 0)
        print(
            "Imported \(metadata.algorithm) (rank \(rank)) from \(als) on \(metadata.dataset): \(metadata.ratings) ratings, \(metadata.users) users, \(metadata.movies) movies"
        )
        if let validation = result.validationRMSE {
            print(
                "Validation RMSE (Spark): \(CLIFormat.rmse(validation)) (\(CLIFormat.number(metadata.validationFraction * 100))% hold-out)")
        }
        print("Training RMSE: \(CLIFormat.rmse(result.trainingRMSE))")
        let sparkSeconds = metadata.trainingSeconds - result.timings.totalSeconds
        print(
            "Time: \(String(format: "%.1f", result.timings.totalSeconds)) s to import (Spark trained in \(String(format: "%.1f", sparkSeconds)) s)"
        )
        published.printPublication()
    }
}
