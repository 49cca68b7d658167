/// Regularised user and item biases: `mean + b_u + b_i`.
///
/// Fitted by alternating closed-form ridge updates, each bias being the shrunk mean of its
/// residuals: `b_i = Σ (r − μ − b_u) / (λ_item + n_i)`, then the same for users. It is the
/// baseline part of every factor model and a strong, fast fallback.
public struct BiasBaselineModel: RatingModel {
    /// Shrinkage strengths and the number of alternating passes.
    public struct Hyperparameters: ModelHyperparameters {
        /// Shrinkage of user biases, in pseudo-ratings.
        public var userRegularization: Double = 5
        /// Shrinkage of item biases, in pseudo-ratings.
        public var itemRegularization: Double = 5
        /// Alternating passes over items and users.
        public var iterations: Int = 12

        /// The default settings.
        public init() {}

        /// The settings by name.
        public var dictionary: [String: Double] {
            [
                "user_regularization": userRegularization, "item_regularization": itemRegularization,
                "iterations": Double(iterations),
            ]
        }

        /// Settings with named overrides.
        public func overriding(_ values: [String: Double]) throws(HyperparameterError) -> Self {
            try applying(values) { settings, name, value in
                switch name {
                case "user_regularization": settings.userRegularization = value
                case "item_regularization": settings.itemRegularization = value
                case "iterations": settings.iterations = max(1, Int(value))
                default: return false
                }
                return true
            }
        }
    }

    /// The mean training rating.
    public let globalMean: Float
    /// One bias per user.
    public let userBiases: [Float]
    /// One bias per item.
    public let itemBiases: [Float]

    /// Fits the biases.
    public static func train(on ratings: IndexedRatings, hyperparameters: Hyperparameters, context: TrainingContext) -> BiasBaselineModel {
        let mean = ratings.meanRating
        var userBiases = [Float](repeating: 0, count: ratings.userCount)
        var itemBiases = [Float](repeating: 0, count: ratings.itemCount)
        var monitor = EpochMonitor(context: context, epochCount: hyperparameters.iterations)
        for iteration in 1...hyperparameters.iterations {
            itemBiases = shrunkMeans(
                offsets: ratings.itemOffsets, others: ratings.usersByItem, ratings: ratings.ratingsByItem,
                mean: mean, otherBiases: userBiases, regularization: Float(hyperparameters.itemRegularization))
            userBiases = shrunkMeans(
                offsets: ratings.userOffsets, others: ratings.itemsByUser, ratings: ratings.ratingsByUser,
                mean: mean, otherBiases: itemBiases, regularization: Float(hyperparameters.userRegularization))
            let snapshot = BiasBaselineModel(globalMean: mean, userBiases: userBiases, itemBiases: itemBiases)
            if monitor.record(epoch: iteration, predict: snapshot.predict) { break }
        }
        return BiasBaselineModel(globalMean: mean, userBiases: userBiases, itemBiases: itemBiases)
    }

    /// A model with the given parameters.
    public init(globalMean: Float, userBiases: [Float], itemBiases: [Float]) {
        self.globalMean = globalMean
        self.userBiases = userBiases
        self.itemBiases = itemBiases
    }

    /// `mean + b_u + b_i`.
    @inline(__always)
    public func predict(user: Int, item: Int) -> Float {
        globalMean + userBiases[user] + itemBiases[item]
    }

    /// The biases, with no factors.
    public var parameters: FactorParameters {
        FactorParameters(globalMean: globalMean, userBiases: userBiases, itemBiases: itemBiases)
    }

    /// For each group (item or user), the residual sum over its ratings divided by `count + λ`.
    private static func shrunkMeans(
        offsets: [Int], others: [Int32], ratings: [Float], mean: Float,
        otherBiases: [Float], regularization: Float
    ) -> [Float] {
        var biases = [Float](repeating: 0, count: offsets.count - 1)
        for group in 0..<(offsets.count - 1) {
            var sum: Float = 0
            for position in offsets[group]..<offsets[group + 1] {
                sum += ratings[position] - mean - otherBiases[Int(others[position])]
            }
            biases[group] = sum / (Float(offsets[group + 1] - offsets[group]) + regularization)
        }
        return biases
    }
}
