/// The hyper-parameters of the ranking model and the grid its blends are chosen from.
///
/// Every candidate is tried on the validation split carved from the training file
/// (`RankingBlendSearch`); the grids' ranges and the fixed values below were chosen the same
/// way, as `docs/accuracy.md` describes. Without a validation split the defaults are used.
public struct RankingSettings: Sendable, Equatable {
    /// Whether training builds the ranking model at all; without it lists follow the rating.
    public var isEnabled = true
    /// The EASE models tried for known users; the first is the default.
    public var knownUserModels: [KnownUserModel] = [
        KnownUserModel(userWeightExponent: 0, regularization: 500), KnownUserModel(userWeightExponent: 0, regularization: 250),
        KnownUserModel(userWeightExponent: 0, regularization: 1000), KnownUserModel(userWeightExponent: 0.5, regularization: 30),
        KnownUserModel(userWeightExponent: 0.5, regularization: 60),
    ]
    /// The weights of the liked-movies EASE (`KnownUserModel.likedWeight`) tried with the chosen
    /// known-user model, beside none: 0.5 added 0.003–0.004 to validation recall@20 on both
    /// halves of a split's users, 1 lost.
    public var knownUserLikedWeights: [Float] = [0.5]
    /// A movie counts as liked, for the liked-movies EASE, from this rating up: the protocols'
    /// relevance.
    public var likedRating: Float = 4
    /// The liked-movies EASE's user weighting and ridge penalty (its `likedWeight` is unused).
    public var likedMoviesModel = KnownUserModel(userWeightExponent: 0.5, regularization: 30)
    /// The denoising dropout probabilities tried for new people, the first the default. Each
    /// group of `RankingBlends.givenGroupLimits` keeps the one its own given count scores best
    /// with, so the model stores a table per distinct choice. 0.99 is not tried: for the 3–9
    /// group it lost on the design split (recall@20 0.1061–0.1086 at 5 given ratings, against
    /// 0.1096), and for one or two given movies it shrinks each movie's own weights so far that
    /// popular movies crowd out the ones a single movie points to (Toy Story 2 for Toy Story).
    public var newPersonDropouts: [Float] = [0.98, 0.95]
    /// How much each training user's co-occurrences count in the denoising model, as
    /// `KnownUserModel.userWeightExponent`. The evaluated people are training users, and a
    /// heavy rater's own co-occurrences, which the model would otherwise learn back, weigh
    /// less. 0.5 with `denoisingRegularization` 3 raised recall@20 on the design split at 5 and
    /// 20 given ratings on two draws of the given movies against 0 with 10 (0.1096 → 0.1110 and
    /// 0.1068 → 0.1080 at 5; 0.1316 → 0.1335 and 0.1321 → 0.1347 at 20); 1 raised it again at
    /// 20 (0.1335 → 0.1367 and 0.1347 → 0.1363) and left 1 and 5 within the noise (0.0866 →
    /// 0.0867; 0.1110 → 0.1110 and 0.1080 → 0.1084).
    public var denoisingUserWeightExponent: Float = 1
    /// The ridge penalty added to the denoising model's dropout penalty, in the weighted
    /// counts' units. Chosen with the `n^-½` weighting; with `n^-1`, 10 and 30 looked better in
    /// the NumPy driver but not once built (recall@20 on the design split, seeds 42 / 7, at 5
    /// given ratings: 0.1108 / 0.1082 and 0.1101 / 0.1088 against 0.1110 / 0.1084; at 20: 0.1372 /
    /// 0.1367 and 0.1350 / 0.1347 against 0.1367 / 0.1363).
    public var denoisingRegularization: Float = 3
    /// The largest weights kept per movie of the denoising model, which a new person's scores
    /// add up: keeping 256 of 3,706 per row changed validation recall by less than its noise.
    public var watchWeightsPerItem = 256
    /// The ranked movies stored per training user: the largest `top` a request may ask for
    /// (`RecommendationEngine.recommendationCountRange`), so every list is a prefix.
    public var rankedItemsPerUser = 1000
    /// The popularity weights tried. They stop at 0.003: larger ones score slightly better at
    /// one given rating on the validation split, but let the most popular movies crowd out the
    /// ones the person's movie points to (Toy Story 2 for Toy Story).
    public var popularityWeights: [Float] = [0, 0.0005, 0.001, 0.002, 0.003]
    /// The logistic offsets tried.
    public var ratingOffsets: [Float] = [-5, -4, -3.5, -3, -2.5, -2, -1]
    /// The logistic slopes tried.
    public var ratingSlopes: [Float] = [0.25, 0.5, 0.75, 1, 1.5]
    /// The number of given ratings each new-person group's dropout and blend are fitted at, one
    /// per group of `RankingBlends.givenGroupLimits`.
    public var newPersonGivenCounts = [1, 5, 20]
    /// The length of the lists the blends are fitted on, as the protocol measures them.
    public var listLength = 20
    /// Catalogues with more movies are served in rating order: the dense item-by-item matrices
    /// would need more than 1.6 GB and `n³` time.
    public var maximumItemCount = 20_000
    /// The blends used when there is no validation split to fit them on.
    public var defaultBlends = RankingBlends(
        knownUser: RankingBlend(popularityWeight: 0, ratingOffset: -3, ratingSlope: 0.5),
        newPerson: [
            RankingBlend(popularityWeight: 0.003, ratingOffset: -3, ratingSlope: 1),
            RankingBlend(popularityWeight: 0.003, ratingOffset: -3, ratingSlope: 1),
            RankingBlend(popularityWeight: 0.003, ratingOffset: -3, ratingSlope: 1),
        ])

    /// RecServe's defaults.
    public init() {}
}

/// One candidate EASE model for known users: how much each training user's co-occurrences
/// count, the ridge penalty, and how much a second EASE, fitted on liked movies only, adds.
public struct KnownUserModel: Sendable, Equatable, Codable {
    /// A user who rated `n` movies adds `n^-exponent` to each co-occurrence they make: 0 counts
    /// every user alike, 0.5 keeps the heaviest raters from dominating the counts.
    public var userWeightExponent: Float
    /// EASE's ridge penalty, in the weighted counts' units.
    public var regularization: Float
    /// The weight of the liked-movies EASE's scores over the user's liked movies in the watch
    /// score (`KnownUserWatch`); 0 leaves it out. Models written before it existed have none.
    public var likedWeight: Float

    /// Creates a candidate.
    public init(userWeightExponent: Float, regularization: Float, likedWeight: Float = 0) {
        self.userWeightExponent = userWeightExponent
        self.regularization = regularization
        self.likedWeight = likedWeight
    }

    /// Decodes a candidate; metadata written before `likedWeight` existed decodes it as 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userWeightExponent = try container.decode(Float.self, forKey: .userWeightExponent)
        regularization = try container.decode(Float.self, forKey: .regularization)
        likedWeight = try container.decodeIfPresent(Float.self, forKey: .likedWeight) ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case userWeightExponent = "user_weight_exponent"
        case regularization
        case likedWeight = "liked_weight"
    }
}
