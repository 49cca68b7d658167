/// The regularisation of the ridge solve that folds a new person into a trained model.
///
/// A person with `n` ratings gets the factor penalty `factorRegularization × (n + priorRatingCount)`:
/// per rating, like the SGD penalty the factors were trained with, so a heavy rater is folded
/// in consistently with training, plus pseudo-ratings so the penalty stays firm for someone who
/// rated two movies. The bias penalty is a constant number of pseudo-ratings, which shrinks the
/// bias of a person with few ratings toward zero and barely touches one with many. The values
/// were chosen on validation users folded in from 3, 10 and all of their ratings
/// (`docs/accuracy.md`). Stored with the model, because they depend on how it was trained.
public struct FoldInParameters: Sendable, Equatable {
    /// The penalty on the person's bias, in pseudo-ratings.
    public var biasRegularization: Float
    /// The per-rating penalty on the person's latent vector.
    public var factorRegularization: Float
    /// Pseudo-ratings added to the count in the factor penalty.
    public var priorRatingCount: Float

    /// Creates fold-in parameters.
    public init(biasRegularization: Float, factorRegularization: Float, priorRatingCount: Float) {
        self.biasRegularization = biasRegularization
        self.factorRegularization = factorRegularization
        self.priorRatingCount = priorRatingCount
    }
}

/// Each movie's most similar movies, precomputed at training time.
public struct NeighbourTable: Sendable, Equatable {
    /// How many neighbour slots each movie has.
    public var neighboursPerItem: Int
    /// `itemCount × neighboursPerItem` item indices, most similar first; `-1` marks an empty slot.
    public var items: [Int32]
    /// The similarity of each slot, descending within a movie; 0 for an empty slot.
    public var similarities: [Float]

    /// Creates a table; both arrays must hold `itemCount × neighboursPerItem` values.
    public init(neighboursPerItem: Int, items: [Int32], similarities: [Float]) {
        precondition(items.count == similarities.count, "neighbour arrays must have equal lengths")
        precondition(neighboursPerItem == 0 ? items.isEmpty : items.count % neighboursPerItem == 0,
                     "neighbour arrays must hold whole rows")
        self.neighboursPerItem = neighboursPerItem
        self.items = items
        self.similarities = similarities
    }

    /// A table with no neighbours.
    public static let empty = NeighbourTable(neighboursPerItem: 0, items: [], similarities: [])
}

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

    /// Creates an artifact from its parts.
    public init(metadata: ModelMetadata, globalMean: Float, factorCount: Int, foldIn: FoldInParameters,
                movieIDs: [Int32], titles: [String], itemRatingCounts: [Int32], itemBiases: [Float],
                itemFactors: [Float], itemImplicitFactors: [Float]?, titleIndex: TitleIndexTables,
                neighbours: NeighbourTable, userIDs: [Int32], userBiases: [Float], userFactors: [Float],
                foldInFactorPenalties: [Float]? = nil, ranking: RankingArtifact? = nil) {
        self.metadata = metadata
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
