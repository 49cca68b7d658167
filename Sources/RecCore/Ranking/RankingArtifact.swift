/// The ranking model of a generation, as owned arrays: what `RankingModelTrainer` builds and
/// the model file stores in its optional sections 20 to 25 and 28 to 30
/// (`docs/model-file-format.md`).
public struct RankingArtifact: Sendable, Equatable {
    /// Each training user's distinct rated movies (sections 20 and 21).
    public var ratedItems: RatedItemSets
    /// The length of each training user's stored list.
    public var rankedItemsPerUser: Int
    /// `userCount × rankedItemsPerUser` item indices, each user's list best first, `-1` after
    /// the last movie they can be recommended (section 22).
    public var userRankedItems: [Int32]
    /// The denoising weights that score a new person: the first table in sections 23 and 24,
    /// any others in 28 and 29, and each group's table in 30.
    public var watchWeights: NewPersonWatchWeights
    /// The two blends (section 25).
    public var blends: RankingBlends

    /// Creates an artifact from its parts.
    public init(
        ratedItems: RatedItemSets, rankedItemsPerUser: Int, userRankedItems: [Int32], watchWeights: NewPersonWatchWeights,
        blends: RankingBlends
    ) {
        self.ratedItems = ratedItems
        self.rankedItemsPerUser = rankedItemsPerUser
        self.userRankedItems = userRankedItems
        self.watchWeights = watchWeights
        self.blends = blends
    }
}

/// How a generation's ranking model was made, for its metadata and `/api/info`.
public struct RankingSummary: Codable, Sendable, Equatable {
    /// The EASE model for known users.
    public var knownUserModel: KnownUserModel
    /// The dropout probability of each new-person group's model (`RankingBlends.givenGroupLimits`).
    public var newPersonDropouts: [Float]
    /// How much each training user's co-occurrences count in the new-person model
    /// (`KnownUserModel.userWeightExponent`); metadata written before it existed used 0.
    public var denoisingUserWeightExponent: Float
    /// The ridge penalty added to the new-person model's.
    public var denoisingRegularization: Float
    /// The weights kept per movie of the new-person model.
    public var watchWeightsPerItem: Int
    /// The ranked movies stored per training user.
    public var rankedItemsPerUser: Int
    /// The blends.
    public var blends: RankingBlends
    /// Whether the blends and models were chosen on the validation split (otherwise defaults).
    public var fittedOnValidation: Bool
    /// The chosen known-user blend's validation recall@20, within the search's pools.
    public var knownUserValidationRecall: Double?
    /// The chosen new-person blend's validation recall@20 by number of given ratings.
    public var newPersonValidationRecall: [String: Double]?
    /// Seconds spent choosing and building the ranking model.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case knownUserModel = "known_user_model"
        case newPersonDropouts = "new_person_dropouts"
        case denoisingUserWeightExponent = "denoising_user_weight_exponent"
        case denoisingRegularization = "denoising_regularization"
        case watchWeightsPerItem = "watch_weights_per_item"
        case rankedItemsPerUser = "ranked_items_per_user"
        case blends
        case fittedOnValidation = "fitted_on_validation"
        case knownUserValidationRecall = "known_user_validation_recall"
        case newPersonValidationRecall = "new_person_validation_recall"
        case seconds
    }
}

extension RankingSummary {
    /// Decodes a summary; metadata written before each group had its own dropout has one
    /// `new_person_dropout`, which every group used, and metadata written before the
    /// new-person model weighed users has no `denoising_user_weight_exponent`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let dropouts: [Float]
        if let perGroup = try container.decodeIfPresent([Float].self, forKey: .newPersonDropouts) {
            dropouts = perGroup
        } else {
            let shared = try decoder.container(keyedBy: LegacyKeys.self).decode(Float.self, forKey: .newPersonDropout)
            dropouts = Array(repeating: shared, count: RankingBlends.newPersonGroupCount)
        }
        self.init(
            knownUserModel: try container.decode(KnownUserModel.self, forKey: .knownUserModel), newPersonDropouts: dropouts,
            denoisingUserWeightExponent: try container.decodeIfPresent(Float.self, forKey: .denoisingUserWeightExponent) ?? 0,
            denoisingRegularization: try container.decode(Float.self, forKey: .denoisingRegularization),
            watchWeightsPerItem: try container.decode(Int.self, forKey: .watchWeightsPerItem),
            rankedItemsPerUser: try container.decode(Int.self, forKey: .rankedItemsPerUser),
            blends: try container.decode(RankingBlends.self, forKey: .blends),
            fittedOnValidation: try container.decode(Bool.self, forKey: .fittedOnValidation),
            knownUserValidationRecall: try container.decodeIfPresent(Double.self, forKey: .knownUserValidationRecall),
            newPersonValidationRecall: try container.decodeIfPresent([String: Double].self, forKey: .newPersonValidationRecall),
            seconds: try container.decode(Double.self, forKey: .seconds))
    }

    /// The key of the one dropout older metadata has.
    private enum LegacyKeys: String, CodingKey {
        case newPersonDropout = "new_person_dropout"
    }
}
