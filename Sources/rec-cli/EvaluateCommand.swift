import ArgumentParser
import RecCore

/// `rec-cli evaluate --dataset=PATH [--protocol ...]`: scores the current model on a ratings file.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score the current model on a ratings file: its rating accuracy, or its top-N lists against baselines.",
        discussion: """
            --protocol rating (the default) prints RMSE, MAE, precision@10 and NDCG@10 and stores them for \
            /api/info. Precision@10 and NDCG@10 rank each user's rows of the file by predicted rating; a row is \
            relevant when rated 4 or more; users without a relevant row are skipped (docs/accuracy.md). The value \
            a random order would get is shown in brackets.

            --protocol new-person --given K folds each user of the file who rated at least three movies 4 or more \
            there in from K of their training ratings (chosen with --seed) and judges the top 20 of every movie they \
            did not give. --protocol known-user judges each user's top 20 of every movie they did not rate in \
            training. Both print recall@20 and NDCG@20 for RecServe and for the most-popular, item-kNN and EASE \
            baselines, computed in the same run from the training file (the model's own, or --training-dataset).
            """
    )

    /// What `evaluate` measures.
    enum ProtocolName: String, ExpressibleByArgument, CaseIterable {
        case rating
        case newPerson = "new-person"
        case knownUser = "known-user"
    }

    @Option(help: "The ratings file to score.")
    var dataset: String

    @Option(name: .customLong("protocol"), help: "What to measure: rating, new-person or known-user.")
    var protocolName: ProtocolName = .rating

    @Option(help: "With --protocol new-person: how many training ratings each person gives.")
    var given: Int?

    @Option(help: "With a top-N protocol: the training file for the baselines (default: the one the model was trained on).")
    var trainingDataset: String?

    @Option(help: "With --protocol new-person: the seed that chooses the given ratings.")
    var seed: UInt64 = TrainingOptions.defaultSeed

    func validate() throws {
        switch protocolName {
        case .newPerson:
            guard let given else { throw ValidationError("--protocol new-person needs --given K, for example --given 5") }
            guard given >= 1 else { throw ValidationError("--given must be at least 1") }
        case .rating, .knownUser:
            guard given == nil else { throw ValidationError("--given only applies to --protocol new-person") }
        }
        if protocolName == .rating, trainingDataset != nil {
            throw ValidationError("--training-dataset only applies to --protocol new-person or known-user")
        }
    }

    func run() throws {
        switch protocolName {
        case .rating: try printRatingAccuracy()
        case .newPerson: try printTopN(.newPerson(given: given ?? 1))
        case .knownUser: try printTopN(.knownUser)
        }
    }

    private func printRatingAccuracy() throws {
        let metrics = try CLIEnvironment.model().evaluate(dataset: dataset)
        print("RMSE: \(CLIFormat.rmse(metrics.rmse))")
        print("MAE: \(CLIFormat.rmse(metrics.meanAbsoluteError))")
        print("Rows: \(metrics.rows)")
        print("Fallback rows: \(metrics.fallbackRows) (unknown user or movie, predicted from biases)")
        if let precision = metrics.precisionAt10, let ndcg = metrics.ndcgAt10 {
            let users = metrics.rankedUsers ?? 0
            print(
                "Precision@10: \(CLIFormat.rmse(precision)) (random order: \(CLIFormat.rmse(metrics.randomPrecisionAt10 ?? 0)); \(users) users with a rating ≥ 4)"
            )
            print("NDCG@10: \(CLIFormat.rmse(ndcg)) (random order: \(CLIFormat.rmse(metrics.randomNDCGAt10 ?? 0)))")
        }
        print("Model generation: \(metrics.generation)")
    }

    private func printTopN(_ kind: TopNProtocol) throws {
        let report = try CLIEnvironment.model().evaluate(dataset: dataset, protocol: kind, trainingDataset: trainingDataset, seed: seed)
        let seedNote = if case .newPerson = kind { ", seed \(report.seed)" } else { "" }
        print("Protocol: \(kind)\(seedNote); top \(TopNProtocol.listLength), relevant = rated ≥ 4 in \(dataset)")
        var users = "Users: \(report.users)"
        if case .newPerson(let count) = kind { users += " (\(report.skippedUsers) skipped with fewer than \(count) training ratings)" }
        print(users)
        if report.unknownTrainingRows > 0 {
            print("Warning: \(report.unknownTrainingRows) training rows name a user or movie the model does not know")
        }
        print("")
        print("| method | recall@20 | NDCG@20 |")
        print("|---|---|---|")
        for method in report.methods {
            print("| \(method.name) | \(CLIFormat.rmse(method.recall)) | \(CLIFormat.rmse(method.normalizedDiscountedCumulativeGain)) |")
        }
        if let best = report.bestBaseline, let ratio = report.recallRatio {
            print("")
            print("RecServe / best baseline (\(best.name)): \(String(format: "%.3f", ratio))× recall@20")
        }
        print("Model generation: \(report.generation)")
    }
}
