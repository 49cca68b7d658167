import RecModels
import RecTitleMatching

/// Everything a trained model generation holds, as owned arrays: what training produces and
/// `ModelFileWriter` serialises.
///
/// Items are the movies of the catalogue and of the training file, indexed densely in
/// ascending movie id. Users are the training file's users, indexed densely in ascending user
/// id. A prediction for a known user is
/// `globalMean + userBiases[u] + itemBiases[i] + dot(userFactors[u], itemFactors[i])`;
/// for SVD++ the user's implicit-feedback sum is already folded into `userFactors`.
public struct ModelArtifact: Sendable, Equatable {
    /// How the model was trained.
    public var metadata: ModelMetadata
    /// The mean training rating.
    public var globalMean: Float
    /// The number of latent factors per user and item (0 for the bias-only baselines).
    public var factorCount: Int
    /// The fold-in regularisation for new people.
    public var foldIn: FoldInParameters
    /// A Bayesian model's fold-in penalty per factor (`FoldInPrior.factorPenalties`), or `nil`;
    /// when present it replaces `foldIn`'s per-rating factor penalty.
    public var foldInFactorPenalties: [Float]?

    /// The movie id of each item, strictly ascending.
    public var movieIDs: [Int32]
    /// The title of each item, UTF-8.
    public var titles: [String]
    /// The number of training ratings of each item (0 for a movie only in the catalogue).
    public var itemRatingCounts: [Int32]
    /// The bias of each item.
    public var itemBiases: [Float]
    /// `itemCount × factorCount` item factors, row-major.
    public var itemFactors: [Float]
    /// `itemCount × factorCount` implicit-feedback factors (SVD++'s `y_j`), or `nil`.
    public var itemImplicitFactors: [Float]?
    /// The title-match index over `titles`.
    public var titleIndex: TitleIndexTables
    /// Each item's most similar items.
    public var neighbours: NeighbourTable

    /// The user id of each user, strictly ascending.
    public var userIDs: [Int32]
    /// The bias of each user.
    public var userBiases: [Float]
    /// `userCount × factorCount` user factors, row-major, implicit part included.
    public var userFactors: [Float]
    /// The ranking model, or nil for a model whose lists follow the rating order.
    public var ranking: RankingArtifact?
    /// The genres of each item from the catalogue (an empty list for a movie it lacks), or nil
    /// for a model without genres, as generations written before they were stored are. A
    /// genre is not empty and holds no `|`, the separator the file uses.
    public var genres: [[String]]?

    /// Creates an artifact from its parts.
    public init(
        metadata: ModelMetadata, globalMean: Float, factorCount: Int, foldIn: FoldInParameters,
        movieIDs: [Int32], titles: [String], itemRatingCounts: [Int32], itemBiases: [Float],
        itemFactors: [Float], itemImplicitFactors: [Float]?, titleIndex: TitleIndexTables,
        neighbours: NeighbourTable, userIDs: [Int32], userBiases: [Float], userFactors: [Float],
        foldInFactorPenalties: [Float]? = nil, ranking: RankingArtifact? = nil, genres: [[String]]? = nil
    ) {
        self.metadata = metadata
        self.genres = genres
        self.ranking = ranking
        self.foldInFactorPenalties = foldInFactorPenalties
        self.globalMean = globalMean
        self.factorCount = factorCount
        self.foldIn = foldIn
        self.movieIDs = movieIDs
        self.titles = titles
        self.itemRatingCounts = itemRatingCounts
        self.itemBiases = itemBiases
        self.itemFactors = itemFactors
        self.itemImplicitFactors = itemImplicitFactors
        self.titleIndex = titleIndex
        self.neighbours = neighbours
        self.userIDs = userIDs
        self.userBiases = userBiases
        self.userFactors = userFactors
    }

    /// The number of items.
    public var itemCount: Int { movieIDs.count }
    /// The number of users.
    public var userCount: Int { userIDs.count }
}
