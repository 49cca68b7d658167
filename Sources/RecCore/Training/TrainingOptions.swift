import RecModels

/// What `rec-cli train` (and `MyRecModel.train`) is asked to do.
public struct TrainingOptions: Sendable, Equatable {
    /// The ratings file to train on.
    public var datasetPath: String
    /// The movie catalogue; nil looks for `movies.dat`, `u.item` or `movies.csv` next to the ratings.
    public var moviesPath: String?
    /// The algorithm to train.
    public var algorithm: ModelAlgorithm
    /// Hyper-parameters fixed by the user; they are taken as given and left out of the search.
    public var hyperparameters: [String: Double]
    /// The seed for the validation split, shuffles and initialisation.
    public var seed: UInt64
    /// The fraction of the training file held out to choose hyper-parameters (0 disables the search).
    public var validationFraction: Double
    /// Whether to search the algorithm's hyper-parameter grid on the validation split.
    public var searchHyperparameters: Bool
    /// How many threads training may use.
    public var threadCount: Int
    /// How similar-movie lists are computed.
    public var neighbourSettings: ItemNeighbourBuilder.Settings
    /// How the ranking model is built and its blends chosen.
    public var ranking: RankingSettings

    /// The default seed.
    public static let defaultSeed: UInt64 = 42
    /// The default validation fraction.
    public static let defaultValidationFraction = 0.05

    /// Options with RecServe's defaults for everything but the dataset.
    public init(
        datasetPath: String, moviesPath: String? = nil, algorithm: ModelAlgorithm = .defaultAlgorithm,
        hyperparameters: [String: Double] = [:], seed: UInt64 = defaultSeed,
        validationFraction: Double = defaultValidationFraction, searchHyperparameters: Bool = true,
        threadCount: Int = TrainingOptions.availableCores,
        neighbourSettings: ItemNeighbourBuilder.Settings = ItemNeighbourBuilder.Settings(),
        ranking: RankingSettings = RankingSettings()
    ) {
        self.datasetPath = datasetPath
        self.moviesPath = moviesPath
        self.algorithm = algorithm
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.validationFraction = validationFraction
        self.searchHyperparameters = searchHyperparameters
        self.threadCount = threadCount
        self.neighbourSettings = neighbourSettings
        self.ranking = ranking
    }

    /// The number of cores this process may run on.
    public static var availableCores: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

#if canImport(Glibc)
import Glibc
#endif
