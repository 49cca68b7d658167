import RecModels

/// How a model generation was trained: stored as JSON inside the model file and shown by
/// `rec-cli info` and `/api/info`.
public struct ModelMetadata: Codable, Sendable, Equatable {
    /// The model's name, as given to `rec-cli train --model`, for example `svdpp`.
    public var algorithm: String
    /// The hyper-parameters the final model was fitted with (after validation selection).
    public var hyperparameters: [String: Double]
    /// The path of the ratings file it was trained on.
    public var dataset: String
    /// The number of training ratings the final model saw.
    public var ratings: Int
    /// The number of users with factors in the model.
    public var users: Int
    /// The number of movies in the model (rated or only catalogued).
    public var movies: Int
    /// When training finished, ISO-8601 UTC.
    public var trainedAt: String
    /// Wall-clock seconds from loading the data to the finished final fit.
    public var trainingSeconds: Double
    /// RMSE of the final fit on its own training ratings.
    public var trainingRMSE: Double?
    /// RMSE on the validation split carved from the training file, with the chosen hyper-parameters.
    public var validationRMSE: Double?
    /// The fraction of the training file held out for validation.
    public var validationFraction: Double
    /// The seed that makes the split, the shuffles and the initialisation reproducible.
    public var seed: UInt64
    /// How the ranking model was made, or nil for a model without one.
    public var ranking: RankingSummary?

    /// Creates metadata.
    public init(
        algorithm: String, hyperparameters: [String: Double], dataset: String, ratings: Int, users: Int,
        movies: Int, trainedAt: String, trainingSeconds: Double, trainingRMSE: Double?,
        validationRMSE: Double?, validationFraction: Double, seed: UInt64, ranking: RankingSummary? = nil
    ) {
        self.algorithm = algorithm
        self.hyperparameters = hyperparameters
        self.dataset = dataset
        self.ratings = ratings
        self.users = users
        self.movies = movies
        self.trainedAt = trainedAt
        self.trainingSeconds = trainingSeconds
        self.trainingRMSE = trainingRMSE
        self.validationRMSE = validationRMSE
        self.validationFraction = validationFraction
        self.seed = seed
        self.ranking = ranking
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, hyperparameters, dataset, ratings, users, movies
        case trainedAt = "trained_at"
        case trainingSeconds = "training_seconds"
        case trainingRMSE = "training_rmse"
        case validationRMSE = "validation_rmse"
        case validationFraction = "validation_fraction"
        case seed, ranking
    }
}
