import Foundation
import Logging
import Synchronization
import RecModelFile
import RecModels
import RecSupport

/// Turns a ratings file into a servable model: load, choose hyper-parameters on a validation
/// split carved from the training file, refit on every rating, compute similar-movie lists,
/// and assemble the `ModelArtifact`.
///
/// The evaluation file is never opened here: every choice is made on held-out training rows
/// chosen by the seed, so a run is reproducible and the test score stays honest.
public enum TrainingPipeline {
    /// Runs the whole pipeline. `progress` receives every epoch of every fit; `logger` gets a
    /// line per stage and per candidate.
    public static func train(
        _ options: TrainingOptions, logger: Logger,
        progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }
    ) throws(TrainingError) -> TrainingResult {
        let trainer = try validatedTrainer(for: options)
        let clock = ContinuousClock()
        let start = clock.now
        var timings = TrainingTimings()
        let data = try TrainingData.load(options, logger: logger)
        timings.loadSeconds = (clock.now - start).inSeconds
        logger.info(
            "loaded training data",
            metadata: [
                "dataset": "\(options.datasetPath)", "ratings": "\(data.ratings.count)", "users": "\(data.ratings.userCount)",
                "movies": "\(data.ratings.itemCount)", "seconds": "\(timings.loadSeconds.fourDecimals)",
            ])

        let (search, final) = try searchAndRefit(
            trainer: trainer, ratings: data.ratings, options: options, logger: logger,
            progress: progress)
        timings.searchSeconds = search.seconds
        let fitted: FittedModel
        do {
            fitted = try final.model.get()
        } catch {
            throw TrainingError(.invalidHyperparameter, error.message)
        }
        timings.neighbourSeconds = final.neighbourSeconds
        timings.finalFitSeconds = final.seconds
        let trainingRMSE = RatingMetrics.rmse(of: data.ratings, predict: fitted.parameters.predict)
        let ranking = RankingModelTrainer.train(
            ratings: data.ratings, ratingModel: fitted.parameters, validationFit: search.validationFit,
            settings: options.ranking, seed: options.seed, threadCount: options.threadCount,
            logger: logger)
        timings.rankingSeconds = ranking?.summary.seconds ?? 0
        timings.totalSeconds = (clock.now - start).inSeconds
        logger.info(
            "trained final model",
            metadata: [
                "algorithm": "\(options.algorithm.rawValue)", "training_rmse": "\(trainingRMSE.fourDecimals)",
                "validation_rmse": "\(search.validationRMSE.map(\.fourDecimals) ?? "none")",
                "seconds": "\(timings.totalSeconds.fourDecimals)",
            ])

        let metadata = ModelMetadata(
            algorithm: options.algorithm.rawValue, hyperparameters: fitted.hyperparameters, dataset: options.datasetPath,
            ratings: data.ratings.count, users: data.ratings.userCount, movies: data.ratings.itemCount,
            trainedAt: UTCTimestamp(Date()).iso8601WholeSeconds, trainingSeconds: timings.totalSeconds, trainingRMSE: trainingRMSE,
            validationRMSE: search.validationRMSE, validationFraction: options.validationFraction, seed: options.seed,
            ranking: ranking?.summary)
        var artifact = ModelArtifactAssembler.assemble(
            parameters: fitted.parameters, data: data, neighbours: final.neighbours,
            metadata: metadata)
        artifact.ranking = ranking?.artifact
        return TrainingResult(
            artifact: artifact, validationRMSE: search.validationRMSE, trainingRMSE: trainingRMSE,
            candidates: search.candidates, timings: timings)
    }

    /// The trainer of `options.algorithm`, once the options and the fixed hyper-parameters are
    /// known to be valid, so that a typo fails before the ratings file is read.
    private static func validatedTrainer(for options: TrainingOptions) throws(TrainingError) -> AlgorithmTrainer {
        guard options.validationFraction >= 0, options.validationFraction < 0.5 else {
            throw TrainingError(.invalidOption, "--validation-fraction must be in [0, 0.5), not \(options.validationFraction)")
        }
        let trainer = AlgorithmTrainer.forAlgorithm(options.algorithm)
        do {
            _ = try trainer.validate(options.hyperparameters)
        } catch {
            throw TrainingError(.invalidHyperparameter, error.message)
        }
        return trainer
    }

    /// 1. Chooses hyper-parameters on the validation split; 2. refits on every rating while the
    /// similar-movie lists are computed alongside. When the search cannot change what is
    /// refitted (one candidate and no epoch count to choose), the refit runs at the same time as
    /// the validation fit, each on half of the threads.
    private static func searchAndRefit(
        trainer: AlgorithmTrainer, ratings: IndexedRatings, options: TrainingOptions, logger: Logger,
        progress: @escaping @Sendable (TrainingProgress) -> Void
    ) throws(TrainingError)
        -> (SearchOutcome, FinalFit)
    {
        let grid = options.searchHyperparameters ? trainer.searchGrid(fixing: options.hyperparameters) : [options.hyperparameters]
        let searches = options.validationFraction > 0
        if searches && grid.count == 1 && !trainer.hasEpochs && trainer.fitsOnSeveralThreads && options.threadCount > 1 {
            return try searchWhileRefitting(
                grid[0], trainer: trainer, ratings: ratings, options: options, logger: logger,
                progress: progress)
        }
        var search = SearchOutcome(chosenOverrides: options.hyperparameters)
        if searches {
            search = try runSearch(grid, trainer: trainer, ratings: ratings, options: options, logger: logger, progress: progress)
        }
        let final = fitFinal(
            trainer: trainer, ratings: ratings, overrides: search.chosenOverrides, options: options,
            threadCount: trainer.fitsOnSeveralThreads ? options.threadCount : 1, progress: progress)
        return (search, final)
    }

    /// The validation fit of the one candidate `overrides` and the refit on every rating, at
    /// the same time, each on half of the threads.
    private static func searchWhileRefitting(
        _ overrides: [String: Double], trainer: AlgorithmTrainer, ratings: IndexedRatings,
        options: TrainingOptions, logger: Logger,
        progress: @escaping @Sendable (TrainingProgress) -> Void
    ) throws(TrainingError)
        -> (SearchOutcome, FinalFit)
    {
        let searchThreads = options.threadCount / 2
        var searchOptions = options
        searchOptions.threadCount = searchThreads
        let searchResult = Mutex<Result<SearchOutcome, TrainingError>?>(nil)
        let finalResult = Mutex<FinalFit?>(nil)
        ParallelLoop.run(threadCount: 2) { [searchOptions] thread in
            if thread == 0 {
                let outcome = Result { () throws(TrainingError) -> SearchOutcome in
                    try runSearch(
                        [overrides], trainer: trainer, ratings: ratings, options: searchOptions, logger: logger, progress: progress)
                }
                searchResult.withLock { $0 = outcome }
            } else {
                let fit = fitFinal(
                    trainer: trainer, ratings: ratings, overrides: overrides, options: options,
                    threadCount: options.threadCount - searchThreads, progress: progress)
                finalResult.withLock { $0 = fit }
            }
        }
        let search = try searchResult.withLock { $0! }.get()
        return (search, finalResult.withLock { $0! })
    }

    /// What the validation search chose.
    private struct SearchOutcome: Sendable {
        var chosenOverrides: [String: Double]
        var candidates: [CandidateResult] = []
        var validationRMSE: Double?
        var seconds = 0.0
        /// The chosen candidate's fit on the training part, which the ranking search uses.
        var validationFit: RankingModelTrainer.ValidationFit?
    }

    /// The refitted model, the similar-movie lists and their timings.
    private struct FinalFit: Sendable {
        var model: Result<FittedModel, HyperparameterError>
        var neighbours: NeighbourTable
        var neighbourSeconds: Double
        var seconds: Double
    }

    /// A candidate's validation result and the model it was measured on.
    private struct CandidateFit: Sendable {
        var candidate: CandidateResult
        var model: FittedModel
    }

    /// Splits off the validation rows, fits every candidate of `grid` and picks the best.
    private static func runSearch(
        _ grid: [[String: Double]], trainer: AlgorithmTrainer, ratings: IndexedRatings,
        options: TrainingOptions, logger: Logger,
        progress: @escaping @Sendable (TrainingProgress) -> Void
    ) throws(TrainingError) -> SearchOutcome {
        let start = ContinuousClock.now
        let split = ValidationSplit(rowCount: ratings.count, fraction: options.validationFraction, seed: options.seed)
        let fitPart = ratings.subset(split.trainingRows)
        let validation = ratings.subset(split.validationRows)
        let fits = try evaluateCandidates(
            grid, trainer: trainer, fitPart: fitPart, validation: validation,
            options: options, logger: logger, progress: progress)
        let candidates = fits.map(\.candidate)
        let bestIndex = candidates.indices.min { candidates[$0].validationRMSE < candidates[$1].validationRMSE }!
        let best = candidates[bestIndex]
        let bestFit = fits[bestIndex].model
        var chosenOverrides = best.overrides
        if trainer.hasEpochs { chosenOverrides["epochs"] = Double(best.bestEpoch) }
        logger.info(
            "chose hyper-parameters",
            metadata: [
                "algorithm": "\(options.algorithm.rawValue)", "overrides": "\(describe(chosenOverrides))",
                "validation_rmse": "\(best.validationRMSE.fourDecimals)",
            ])
        let validationFit = RankingModelTrainer.ValidationFit(
            fitPart: fitPart, validation: validation, ratingModel: bestFit.parameters,
            foldIn: ModelArtifactAssembler.foldInParameters(for: bestFit.parameters, hyperparameters: bestFit.hyperparameters))
        return SearchOutcome(
            chosenOverrides: chosenOverrides, candidates: candidates, validationRMSE: best.validationRMSE,
            seconds: (ContinuousClock.now - start).inSeconds, validationFit: validationFit)
    }

    /// Refits on every rating with `overrides` on `threadCount` threads, and computes the
    /// similar-movie lists alongside when there is a thread to spare (otherwise after).
    private static func fitFinal(
        trainer: AlgorithmTrainer, ratings: IndexedRatings, overrides: [String: Double],
        options: TrainingOptions, threadCount: Int,
        progress: @escaping @Sendable (TrainingProgress) -> Void
    ) -> FinalFit {
        let start = ContinuousClock.now
        let context = TrainingContext(
            seed: options.seed, threadCount: threadCount,
            stage: "\(options.algorithm.rawValue) final fit", report: progress)
        let model = Mutex<Result<FittedModel, HyperparameterError>?>(nil)
        let neighbours = Mutex<(NeighbourTable, Double)?>(nil)
        let neighbourSettings = options.neighbourSettings
        let alongside = options.threadCount > 1 && threadCount == 1
        ParallelLoop.run(threadCount: alongside ? 2 : 1) { thread in
            if thread == 0 {
                let result = Result { () throws(HyperparameterError) -> FittedModel in try trainer.fit(ratings, overrides, context) }
                model.withLock { $0 = result }
            }
            if thread == 1 || !alongside {
                let neighbourStart = ContinuousClock.now
                let table = similarMovies(
                    ratings: ratings, seed: options.seed, settings: neighbourSettings,
                    threadCount: max(1, alongside ? options.threadCount - 1 : threadCount))
                neighbours.withLock { $0 = (table, (ContinuousClock.now - neighbourStart).inSeconds) }
            }
        }
        let (table, neighbourSeconds) = neighbours.withLock { $0! }
        return FinalFit(
            model: model.withLock { $0! }, neighbours: table, neighbourSeconds: neighbourSeconds,
            seconds: (ContinuousClock.now - start).inSeconds)
    }

    /// The similar-movie lists of every item of `ratings`: the shrunk Pearson similarity of
    /// the residuals from the default bias baseline, whatever the rating model is.
    static func similarMovies(
        ratings: IndexedRatings, seed: UInt64, settings: ItemNeighbourBuilder.Settings, threadCount: Int
    ) -> NeighbourTable {
        let baseline = BiasBaselineModel.train(
            on: ratings, hyperparameters: BiasBaselineModel.Hyperparameters(), context: TrainingContext(seed: seed))
        return ItemNeighbourBuilder.build(ratings: ratings, baseline: baseline, settings: settings, threadCount: threadCount)
    }

    /// Fits every candidate on `fitPart` with early stopping on `validation`, two at a time on
    /// two cores; each SGD fit is single-threaded, so results do not depend on scheduling, and
    /// an algorithm whose fits are thread-count invariant shares the threads among them.
    private static func evaluateCandidates(
        _ grid: [[String: Double]], trainer: AlgorithmTrainer, fitPart: IndexedRatings,
        validation: IndexedRatings, options: TrainingOptions, logger: Logger,
        progress: @escaping @Sendable (TrainingProgress) -> Void
    ) throws(TrainingError) -> [CandidateFit] {
        let results = Mutex<[Int: Result<CandidateFit, HyperparameterError>]>([:])
        let next = Atomic<Int>(0)
        let workers = min(options.threadCount, grid.count)
        let threadsPerFit = trainer.fitsOnSeveralThreads ? max(1, options.threadCount / workers) : 1
        ParallelLoop.run(threadCount: workers) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < grid.count else { return }
                let overrides = grid[index]
                let context = TrainingContext(
                    seed: options.seed, validation: validation, earlyStoppingPatience: 3, threadCount: threadsPerFit,
                    stage: "\(options.algorithm.rawValue) candidate \(index + 1)/\(grid.count)",
                    report: progress)
                let result = Result { () throws(HyperparameterError) -> CandidateFit in
                    let fitted = try trainer.fit(fitPart, overrides, context)
                    // Epoch-trained models are scored at their best epoch, which the refit reuses;
                    // the others on the parameters they ended with, which is what is served.
                    let history =
                        trainer.hasEpochs && !fitted.validationHistory.isEmpty
                        ? fitted.validationHistory : [RatingMetrics.rmse(of: validation, predict: fitted.parameters.predict)]
                    let best = history.indices.min { history[$0] < history[$1] }!
                    return CandidateFit(
                        candidate: CandidateResult(overrides: overrides, validationRMSE: history[best], bestEpoch: best + 1),
                        model: fitted)
                }
                if case .success(let fit) = result {
                    let candidate = fit.candidate
                    logger.info(
                        "validated candidate",
                        metadata: [
                            "algorithm": "\(options.algorithm.rawValue)", "overrides": "\(describe(overrides))",
                            "validation_rmse": "\(candidate.validationRMSE.fourDecimals)", "best_epoch": "\(candidate.bestEpoch)",
                        ])
                }
                results.withLock { $0[index] = result }
            }
        }
        var candidates: [CandidateFit] = []
        for index in grid.indices {
            do {
                candidates.append(try results.withLock { $0[index]! }.get())
            } catch {
                throw TrainingError(.invalidHyperparameter, error.message)
            }
        }
        return candidates
    }

    static func describe(_ overrides: [String: Double]) -> String {
        overrides.isEmpty ? "defaults" : overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
