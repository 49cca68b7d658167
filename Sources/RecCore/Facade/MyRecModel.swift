import Foundation
import Logging
import Synchronization
import RecAPI
import RecConfiguration
import RecModelFile
import RecModels
import RecSupport
import RecTraining

/// The homework's `My_Rec_Model` in Swift naming: train, evaluate, predict for a new person,
/// warm up, find similar movies and search the catalogue, over the model generations in
/// `data/model/`.
///
/// A thin façade: training goes through `TrainingPipeline` and `ModelStore.publish`, queries
/// through a `RecommendationEngine` on the memory-mapped current generation. It is safe to
/// share between threads; `warmup()` swaps the loaded generation atomically.
public final class MyRecModel: Sendable {
    /// Where models, evaluations and the log live.
    public let dataDirectory: DataDirectory
    /// Whether `train` also makes the API serve the new generation (`REC_AUTO_RELOAD=1`);
    /// otherwise the API keeps serving its generation until `/api/reload`.
    public let reloadsAfterTraining: Bool
    private let logger: Logger
    private let engine = Mutex<RecommendationEngine?>(nil)

    /// A model rooted at `dataDirectory` (default `./data`).
    ///
    /// `reloadsAfterTraining` makes `train` also reload the API; off by default. Programs pass
    /// their `RecSettings` instead, with `init(settings:logger:)`.
    public init(
        dataDirectory: DataDirectory = DataDirectory(root: DataDirectory.defaultPath),
        logger: Logger = Logger(label: "RecCore.MyRecModel"),
        reloadsAfterTraining: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.reloadsAfterTraining = reloadsAfterTraining
    }

    /// A model over the data folder of `settings` (`REC_DATA_DIR`) that reloads the API after
    /// training when `settings.reloadsAfterTraining` (`REC_AUTO_RELOAD`) is on.
    ///
    /// `try MyRecModel(settings: .fromProcessEnvironment())` honours the environment as
    /// `rec-cli` does.
    public convenience init(settings: RecSettings, logger: Logger = Logger(label: "RecCore.MyRecModel")) {
        self.init(dataDirectory: settings.dataDirectory, logger: logger, reloadsAfterTraining: settings.reloadsAfterTraining)
    }

    /// The store of model generations in `data/model/`.
    public var store: ModelStore { ModelStore(dataDirectory: dataDirectory) }

    /// Trains on the ratings file at `dataset` and publishes the result as a new generation.
    /// `configure` adjusts the options (algorithm, seed, hyper-parameters, ...).
    ///
    /// Publishing moves `CURRENT` but does not change what the API serves, unless
    /// `reloadsAfterTraining` is set: then it reloads as `/api/reload` does, and the result is
    /// in `PublishedModel.reload`. A failed reload is logged and reported there, not thrown:
    /// the new generation is published either way.
    @discardableResult
    public func train(
        dataset: String, configure: (inout TrainingOptions) -> Void = { _ in },
        progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }
    ) throws -> PublishedModel {
        var options = TrainingOptions(datasetPath: dataset)
        configure(&options)
        let result = try TrainingPipeline.train(options, logger: logger, progress: progress)
        return try publish(result)
    }

    /// Imports the ALS interchange folder `spark/train_als.py` wrote (`docs/scaling.md`,
    /// "Training on Spark") as a new generation, with the rest of the generation (titles,
    /// similar movies, the ranking model) made from the training ratings as `train` makes it.
    /// `configure` adjusts the options (the ratings, the catalogue, threads).
    ///
    /// Every file is checked first; a bad one is an `ALSImportError` naming it, and then
    /// nothing is published. Publishing and the reload behave as they do for `train`.
    @discardableResult
    public func importALS(
        directory: String, configure: (inout ALSImportOptions) -> Void = { _ in }
    ) throws -> PublishedModel {
        var options = ALSImportOptions(directory: directory)
        configure(&options)
        return try publish(try ALSImporter.makeModel(options, logger: logger))
    }

    /// Publishes a trained or imported model, then reloads the API when `reloadsAfterTraining`.
    private func publish(_ result: TrainingResult) throws -> PublishedModel {
        let publication = try store.publish(result.artifact)
        logger.info(
            "published model",
            metadata: [
                "generation": "\(publication.generation)", "algorithm": "\(result.artifact.metadata.algorithm)",
                "path": "\(publication.path)", "bytes": "\(publication.byteCount)",
                "pruned": "\(publication.prunedGenerations.map(String.init).joined(separator: ","))",
            ])
        if let pruneError = publication.pruneError {
            logger.warning("could not prune old model generations", metadata: ["error": "\(pruneError)"])
        }
        var reload: Result<ReloadOutcome, ReloadError>?
        if reloadsAfterTraining {
            reload = ServedModelControl.reload(dataDirectory: dataDirectory, trigger: .training, logger: logger)
        }
        return PublishedModel(generation: publication.generation, path: publication.path, training: result, reload: reload)
    }

    /// Scores the current model on every row of the ratings file at `dataset` and stores the
    /// result in `data/model/evaluation.json`.
    public func evaluate(dataset: String) throws -> EvaluationMetrics {
        let engine = try currentEngine()
        let table = try RatingsFileParser.load(path: dataset)
        let metrics = ModelEvaluator.evaluate(engine, on: table, dataset: dataset, evaluatedAt: UTCTimestamp(Date()).iso8601WholeSeconds)
        try EvaluationRecord.save(metrics, in: dataDirectory)
        logger.info(
            "evaluated model",
            metadata: [
                "generation": "\(metrics.generation)", "dataset": "\(dataset)", "rmse": "\(metrics.rmse.fourDecimals)",
                "mae": "\(metrics.meanAbsoluteError.fourDecimals)", "rows": "\(metrics.rows)",
                "fallback_rows": "\(metrics.fallbackRows)",
                "precision_at_10": "\(metrics.precisionAt10.map(\.fourDecimals) ?? "none")",
                "ndcg_at_10": "\(metrics.ndcgAt10.map(\.fourDecimals) ?? "none")",
            ])
        return metrics
    }

    /// Judges the current model's top-N lists under `kind` on the ratings file at `dataset`,
    /// beside the baselines (most popular, item-kNN, EASE) computed in the same run from the
    /// training file: `trainingDataset`, or by default the file the model was trained on.
    /// `seed` chooses a new person's given ratings. The result is logged, not stored.
    public func evaluate(
        dataset: String, protocol kind: TopNProtocol, trainingDataset: String? = nil,
        seed: UInt64 = TrainingOptions.defaultSeed
    ) throws -> TopNReport {
        let engine = try currentEngine()
        let trainingPath = try trainingDataset ?? engine.model.metadata().dataset
        let training: RatingTable
        do {
            training = try RatingsFileParser.load(path: trainingPath)
        } catch {
            throw DataFileError(
                error.code, file: error.file, line: error.line,
                reason: "\(error.reason) (the baselines need the training file; pass --training-dataset)")
        }
        let evaluation = try RatingsFileParser.load(path: dataset)
        let report = TopNEvaluator.evaluate(engine: engine, training: training, evaluation: evaluation, kind: kind, seed: seed)
        var metadata: Logger.Metadata = [
            "generation": "\(report.generation)", "dataset": "\(dataset)", "protocol": "\(kind)", "users": "\(report.users)",
            "skipped_users": "\(report.skippedUsers)", "seed": "\(seed)",
        ]
        for method in report.methods {
            let key = method.name.lowercased().replacingOccurrences(of: ", ", with: "_").replacingOccurrences(of: " ", with: "_")
            metadata["\(key)_recall_at_20"] = "\(method.recall.fourDecimals)"
        }
        logger.info("evaluated top-N lists", metadata: metadata)
        return report
    }

    /// The homework's `predict([[movie ids], [ratings]], M)`: the `top` movies `ranking` picks
    /// for a new person who gave these ratings, with their estimated ratings in descending order.
    public func predict(
        _ input: ([Int], [Double]), top: Int = 20, ranking: RecommendationRanking = .defaultRanking
    ) throws -> ([Int], [Double]) {
        guard input.0.count == input.1.count else {
            throw QueryError(
                .mismatchedLengths, "the movie list and the rating list must have the same length (\(input.0.count) and \(input.1.count))")
        }
        let ratings = zip(input.0, input.1).map { (movie: MovieReference.id(Int32(clamping: $0.0)), rating: $0.1) }
        let recommendations = try currentEngine().recommend(ratings: ratings, count: top, ranking: ranking)
        return (recommendations.map { Int($0.movieID) }, recommendations.map { Double($0.rating) })
    }

    /// The `top` movies `ranking` picks for the training user `userId`, never one they rated in
    /// training, with their estimated ratings in descending order.
    public func recommend(userId: Int, top: Int = 20, ranking: RecommendationRanking = .defaultRanking) throws -> ([Int], [Double]) {
        let recommendations = try currentEngine().recommend(userID: Int32(clamping: userId), count: top, ranking: ranking)
        return (recommendations.map { Int($0.movieID) }, recommendations.map { Double($0.rating) })
    }

    /// Loads the current model generation, or re-reads `CURRENT` and swaps to a newer one if a
    /// model is already loaded; the file is fully validated, checksum included.
    @discardableResult
    public func warmup() throws -> LoadedModel {
        let model = try store.openCurrent(verifyContents: true)
        engine.withLock { $0 = RecommendationEngine(model: model) }
        logger.info("loaded model", metadata: ["generation": "\(model.generation)", "path": "\(model.path)"])
        return model
    }

    /// The `count` movies most similar to `movieId`, most similar first, as ids and titles.
    public func findSimilar(movieId: Int, count: Int = 5) throws -> ([Int], [String]) {
        let similar = try currentEngine().similar(to: .id(Int32(clamping: movieId)), count: count)
        return (similar.map { Int($0.movieID) }, similar.map(\.title))
    }

    /// Up to `limit` catalogue movies (1 to 50, 10 by default) that best match `query`, a
    /// partial or misspelt title, best first: the ranking of `GET /api/movies` and
    /// `rec-cli search` (`docs/title-matching.md`, "Movie search"). Empty when nothing comes close.
    public func searchMovies(_ query: String, limit: Int = RecommendationEngine.defaultMovieSearchLimit) throws -> [MovieMatch] {
        try currentEngine().searchMovies(query, limit: limit)
    }

    /// The engine over the loaded model, loading the current generation on first use.
    public func currentEngine() throws -> RecommendationEngine {
        if let loaded = engine.withLock({ $0 }) { return loaded }
        try warmup()
        return engine.withLock { $0! }
    }
}

/// A model generation that `MyRecModel.train` published.
public struct PublishedModel: Sendable {
    /// The new generation number.
    public var generation: Int
    /// The path of the new model file.
    public var path: String
    /// How training went.
    public var training: TrainingResult
    /// The reload after publishing when `REC_AUTO_RELOAD=1` (`MyRecModel.reloadsAfterTraining`),
    /// or `nil` when the API was left serving its generation.
    public var reload: Result<ReloadOutcome, ReloadError>?
}
