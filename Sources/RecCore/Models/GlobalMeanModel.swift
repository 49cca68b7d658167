/// Predicts the mean training rating for everyone: the floor every other model must beat.
public struct GlobalMeanModel: RatingModel {
    /// The global mean has no settings.
    public struct Hyperparameters: ModelHyperparameters {
        /// Creates the (empty) settings.
        public init() {}
        /// No settings.
        public var dictionary: [String: Double] { [:] }
        /// Any named override is unknown.
        public func overriding(_ values: [String: Double]) throws(HyperparameterError) -> Self {
            try applying(values) { _, _, _ in false }
        }
    }

    /// The mean training rating.
    public let mean: Float
    private let userCount: Int
    private let itemCount: Int

    /// Takes the mean of `ratings`.
    public static func train(on ratings: IndexedRatings, hyperparameters: Hyperparameters, context: TrainingContext) -> GlobalMeanModel {
        GlobalMeanModel(mean: ratings.meanRating, userCount: ratings.userCount, itemCount: ratings.itemCount)
    }

    /// A model predicting `mean` for the given numbers of users and items.
    public init(mean: Float, userCount: Int, itemCount: Int) {
        self.mean = mean
        self.userCount = userCount
        self.itemCount = itemCount
    }

    /// The mean, whoever and whatever.
    public func predict(user: Int, item: Int) -> Float { mean }

    /// Zero biases and no factors.
    public var parameters: FactorParameters {
        FactorParameters(
            globalMean: mean, userBiases: [Float](repeating: 0, count: userCount),
            itemBiases: [Float](repeating: 0, count: itemCount))
    }
}
