import Foundation
import Logging
import RecModelFile
import RecModels
import RecSupport

/// What `rec-cli import --als` (and `MyRecModel.importALS`) is asked to do.
public struct ALSImportOptions: Sendable, Equatable {
    /// The interchange folder `spark/train_als.py` wrote.
    public var directory: String
    /// The training ratings the factors were fitted on; nil takes the manifest's `source` when
    /// it is a local file.
    public var datasetPath: String?
    /// The movie catalogue; nil looks next to the ratings, as `rec-cli train` does.
    public var moviesPath: String?
    /// How many threads the similar-movie lists and the ranking model may use.
    public var threadCount: Int
    /// How similar-movie lists are computed (the same as training's).
    public var neighbourSettings: ItemNeighbourBuilder.Settings
    /// How the ranking model is built.
    public var ranking: RankingSettings

    /// The training RMSE recomputed here may differ from the manifest's by this much (Spark
    /// stores 32-bit factors and sums in another order).
    public static let trainingRMSETolerance = 0.002

    /// Options with RecServe's defaults for everything but the folder.
    public init(
        directory: String, datasetPath: String? = nil, moviesPath: String? = nil,
        threadCount: Int = TrainingOptions.availableCores,
        neighbourSettings: ItemNeighbourBuilder.Settings = ItemNeighbourBuilder.Settings(),
        ranking: RankingSettings = RankingSettings()
    ) {
        self.directory = directory
        self.datasetPath = datasetPath
        self.moviesPath = moviesPath
        self.threadCount = threadCount
        self.neighbourSettings = neighbourSettings
        self.ranking = ranking
    }
}

/// Turns an ALS interchange folder into a model generation that serves like a trained one.
///
/// The factors become a biased matrix factorisation (the layout of `mf`: global mean, user and
/// item biases, user and item factors, no implicit factors) and the rest of the generation is
/// made from the training ratings exactly as `TrainingPipeline` makes it: titles and genres
/// from the catalogue, rating counts, the similar-movie lists (`ItemNeighbourBuilder` over the
/// ratings' baseline residuals) and the ranking model (with its default blends, as there is no
/// validation fit of the rating model to choose them on). A new person is folded in with the
/// per-rating factor penalty of an SGD model, here ALS's `regParam`, which is the penalty
/// Spark's own user update applies (ALS-WR).
///
/// The ratings are required because the factors alone cannot give any of that; they must be
/// the ones Spark was trained on: the same count, users and movies, and a training RMSE that
/// matches the manifest's. Nothing here writes a file: the caller publishes the artifact.
public enum ALSImporter {
    /// The algorithm name the metadata records (`/api/info`'s `model.algorithm`).
    public static let algorithmName = "spark-als"

    /// Reads and checks the folder and the ratings, and assembles the generation.
    public static func makeModel(_ options: ALSImportOptions, logger: Logger) throws(ALSImportError) -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let interchange = try ALSInterchange.read(directory: options.directory)
        let manifestPath = ALSInterchange.path(ALSInterchange.manifestFileName, in: options.directory)
        guard
            let datasetPath = options.datasetPath
                ?? interchange.source.flatMap({ FileManager.default.isReadableFile(atPath: $0) ? $0 : nil })
        else {
            throw ALSImportError(
                .unreadableDataset, file: manifestPath,
                reason: "its source '\(interchange.source ?? "")' is not a readable file; pass the training ratings with --dataset")
        }
        let data: TrainingData
        do {
            let table = try loadRatings(datasetPath)
            data = try TrainingData.make(
                table, options: TrainingOptions(datasetPath: datasetPath, moviesPath: options.moviesPath), logger: logger)
        } catch {
            throw ALSImportError(.unreadableDataset, file: datasetPath, reason: error.message)
        }
        guard data.ratings.count == interchange.ratingCount else {
            throw ALSImportError(
                .countMismatch, file: manifestPath,
                reason:
                    "\(interchange.ratingCount) ratings, but \(datasetPath) has \(data.ratings.count); import with the ratings Spark trained on"
            )
        }
        let parameters = try factorParameters(interchange, data: data)
        let trainingRMSE = RatingMetrics.rmse(of: data.ratings, predict: parameters.predict)
        if let sparkRMSE = interchange.trainingRMSE, abs(sparkRMSE - trainingRMSE) > ALSImportOptions.trainingRMSETolerance {
            throw ALSImportError(
                .datasetMismatch, file: manifestPath,
                reason:
                    "training_rmse \(sparkRMSE.fourDecimals), but the factors score \(trainingRMSE.fourDecimals) on \(datasetPath); these are not the ratings Spark trained on"
            )
        }
        let neighbours = TrainingPipeline.similarMovies(
            ratings: data.ratings, seed: interchange.seed, settings: options.neighbourSettings, threadCount: options.threadCount)
        let ranking = RankingModelTrainer.train(
            ratings: data.ratings, ratingModel: parameters, validationFit: nil, settings: options.ranking,
            seed: interchange.seed, threadCount: options.threadCount, logger: logger)
        let importSeconds = (clock.now - start).inSeconds
        var hyperparameters = interchange.hyperparameters
        hyperparameters["factors"] = Double(interchange.rank)
        // What fold-in reads (ModelArtifactAssembler.foldInParameters): ALS's per-rating penalty.
        hyperparameters["factor_regularization"] = interchange.regularization
        let metadata = ModelMetadata(
            algorithm: algorithmName, hyperparameters: hyperparameters, dataset: datasetPath,
            ratings: data.ratings.count, users: data.ratings.userCount, movies: data.ratings.itemCount,
            trainedAt: UTCTimestamp(Date()).iso8601WholeSeconds,
            trainingSeconds: (interchange.sparkSeconds ?? 0) + importSeconds, trainingRMSE: trainingRMSE,
            validationRMSE: interchange.validationRMSE, validationFraction: interchange.validationFraction,
            seed: interchange.seed, ranking: ranking?.summary)
        var artifact = ModelArtifactAssembler.assemble(parameters: parameters, data: data, neighbours: neighbours, metadata: metadata)
        artifact.ranking = ranking?.artifact
        logger.info(
            "imported ALS factors",
            metadata: [
                "directory": "\(options.directory)", "dataset": "\(datasetPath)", "rank": "\(interchange.rank)",
                "training_rmse": "\(trainingRMSE.fourDecimals)", "spark_seconds": "\(interchange.sparkSeconds ?? 0)",
                "import_seconds": "\(importSeconds.fourDecimals)",
            ])
        var timings = TrainingTimings()
        timings.rankingSeconds = ranking?.summary.seconds ?? 0
        timings.totalSeconds = importSeconds
        return TrainingResult(
            artifact: artifact, validationRMSE: interchange.validationRMSE, trainingRMSE: trainingRMSE, candidates: [],
            timings: timings)
    }

    /// The ratings of a file, or of every file of a folder as Spark reads one (empty files and
    /// names starting with `.` or `_`, such as `_SUCCESS`, are skipped), in name order.
    static func loadRatings(_ path: String) throws(TrainingError) -> RatingTable {
        var isDirectory: ObjCBool = false
        do throws(DataFileError) {
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return try RatingsFileParser.load(path: path)
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { name in
                    // Spark skips hidden files and writes empty parts; so does this.
                    let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? nil
                    return !name.hasPrefix(".") && !name.hasPrefix("_") && size != 0
                }.sorted()
            guard !names.isEmpty else { throw DataFileError(.emptyFile, file: path, reason: "the folder holds no ratings file") }
            var table = RatingTable()
            for name in names {
                let part = try RatingsFileParser.load(path: path + "/" + name)
                table.userIDs += part.userIDs
                table.movieIDs += part.movieIDs
                table.ratings += part.ratings
            }
            return table
        } catch {
            throw TrainingError(.unreadableData, error.description)
        }
    }

    /// The factors in the dense order of `data`: every user of the ratings must have a row and
    /// every row a user of the ratings, and the same for the movies that have ratings; a movie
    /// only in the catalogue gets a zero bias and zero factors.
    static func factorParameters(_ interchange: ALSInterchange, data: TrainingData) throws(ALSImportError) -> FactorParameters {
        let rank = interchange.rank
        let userFile = ALSInterchange.path(ALSInterchange.userFactorsFileName, in: interchange.directory)
        let itemFile = ALSInterchange.path(ALSInterchange.itemFactorsFileName, in: interchange.directory)
        var userBiases = [Float](repeating: 0, count: data.userIndex.count)
        var userFactors = [Float](repeating: 0, count: data.userIndex.count * rank)
        var userSeen = [Bool](repeating: false, count: data.userIndex.count)
        for row in interchange.users {
            guard let index = data.userIndex.index(of: row.id) else {
                throw ALSImportError(
                    .datasetMismatch, file: userFile, reason: "line \(row.line): user \(row.id) has no rating in the dataset")
            }
            userSeen[index] = true
            userBiases[index] = row.bias
            userFactors.replaceSubrange((index * rank)..<((index + 1) * rank), with: row.factors)
        }
        if let missing = userSeen.firstIndex(of: false) {
            let count = userSeen.count(where: { !$0 })
            throw ALSImportError(
                .datasetMismatch, file: userFile,
                reason: "no row for user \(data.userIndex.identifiers[missing]) of the dataset (\(count) users of the dataset are missing)")
        }
        let ratingCounts = data.ratings.itemRatingCounts
        var itemBiases = [Float](repeating: 0, count: data.itemIndex.count)
        var itemFactors = [Float](repeating: 0, count: data.itemIndex.count * rank)
        var itemSeen = [Bool](repeating: false, count: data.itemIndex.count)
        for row in interchange.items {
            guard let index = data.itemIndex.index(of: row.id), ratingCounts[index] > 0 else {
                throw ALSImportError(
                    .datasetMismatch, file: itemFile, reason: "line \(row.line): movie \(row.id) has no rating in the dataset")
            }
            itemSeen[index] = true
            itemBiases[index] = row.bias
            itemFactors.replaceSubrange((index * rank)..<((index + 1) * rank), with: row.factors)
        }
        if let missing = itemSeen.indices.first(where: { !itemSeen[$0] && ratingCounts[$0] > 0 }) {
            let count = itemSeen.indices.count(where: { !itemSeen[$0] && ratingCounts[$0] > 0 })
            throw ALSImportError(
                .datasetMismatch, file: itemFile,
                reason: "no row for movie \(data.itemIndex.identifiers[missing]) of the dataset (\(count) rated movies are missing)")
        }
        return FactorParameters(
            globalMean: interchange.globalMean, userBiases: userBiases, itemBiases: itemBiases,
            userFactors: FactorMatrix(rowCount: userBiases.count, factorCount: rank, unpadded: userFactors),
            itemFactors: FactorMatrix(rowCount: itemBiases.count, factorCount: rank, unpadded: itemFactors))
    }
}
