import RecSupport

/// Biased matrix factorisation trained by stochastic gradient descent:
/// `r̂ = μ + b_u + b_i + p_u · q_i`.
///
/// Each epoch visits every rating once in a fresh random order, with a learning rate that
/// decays geometrically per epoch and separate L2 penalties for biases and factors. The
/// inner update is one fused SIMD pass over the user and item rows.
public struct MatrixFactorizationModel: RatingModel {
    /// Size, schedule and regularisation of the factorisation.
    public struct Hyperparameters: SGDHyperparameters {
        /// The number of latent factors.
        public var factors: Int = 128
        /// The number of passes over the ratings.
        public var epochs: Int = 80
        /// The learning rate of the first epoch.
        public var learningRate: Double = 0.01
        /// The factor the learning rate is multiplied by after each epoch.
        public var learningRateDecay: Double = 0.96
        /// The L2 penalty on biases.
        public var biasRegularization: Double = 0.01
        /// The L2 penalty on factors.
        public var factorRegularization: Double = 0.045
        /// The standard deviation of the random initial factors.
        public var initialStandardDeviation: Double = 0.05

        /// The default settings.
        public init() {}

        /// The settings by name.
        public var dictionary: [String: Double] { sharedDictionary }

        /// Settings with named overrides.
        public func overriding(_ values: [String: Double]) throws(HyperparameterError) -> Self {
            try applying(values) { settings, name, value in settings.setShared(name, value) }
        }
    }

    /// The learned parameters.
    public let parameters: FactorParameters

    /// Creates a model from learned parameters.
    public init(parameters: FactorParameters) {
        self.parameters = parameters
    }

    /// Runs SGD for `hyperparameters.epochs` epochs (fewer if early stopping triggers).
    public static func train(
        on ratings: IndexedRatings, hyperparameters: Hyperparameters, context: TrainingContext
    ) -> MatrixFactorizationModel {
        var generator = SeededRandomNumberGenerator.stream(1, of: context.seed)
        let factorCount = hyperparameters.factors
        var userFactors = FactorMatrix(
            rowCount: ratings.userCount, factorCount: factorCount,
            standardDeviation: Float(hyperparameters.initialStandardDeviation), generator: &generator)
        var itemFactors = FactorMatrix(
            rowCount: ratings.itemCount, factorCount: factorCount,
            standardDeviation: Float(hyperparameters.initialStandardDeviation), generator: &generator)
        var userBiases = [Float](repeating: 0, count: ratings.userCount)
        var itemBiases = [Float](repeating: 0, count: ratings.itemCount)
        let mean = ratings.meanRating
        var order = ShuffledRatings(ratings)
        var monitor = EpochMonitor(context: context, epochCount: hyperparameters.epochs)
        var learningRate = Float(hyperparameters.learningRate)

        for epoch in 1...hyperparameters.epochs {
            order.shuffle(using: &generator)
            let step = SGDStep(
                mean: mean, learningRate: learningRate,
                biasRegularization: Float(hyperparameters.biasRegularization),
                factorRegularization: Float(hyperparameters.factorRegularization),
                stride: userFactors.stride)
            order.entries.withUnsafeBufferPointer { entries in
                userFactors.values.withUnsafeMutableBufferPointer { users in
                    itemFactors.values.withUnsafeMutableBufferPointer { items in
                        userBiases.withUnsafeMutableBufferPointer { userBias in
                            itemBiases.withUnsafeMutableBufferPointer { itemBias in
                                let shared = (
                                    SharedMutablePointer(base: users.baseAddress!), SharedMutablePointer(base: items.baseAddress!),
                                    SharedMutablePointer(base: userBias.baseAddress!), SharedMutablePointer(base: itemBias.baseAddress!)
                                )
                                let all = SharedMutablePointer(base: UnsafeMutablePointer(mutating: entries.baseAddress!))
                                let total = entries.count, threadCount = context.threadCount
                                ParallelLoop.run(threadCount: threadCount) { thread in
                                    let range = ParallelLoop.chunk(thread, of: threadCount, total: total)
                                    for position in range {
                                        step.apply(
                                            all.base[position], users: shared.0.base, items: shared.1.base,
                                            userBiases: shared.2.base, itemBiases: shared.3.base)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            learningRate *= Float(hyperparameters.learningRateDecay)
            let snapshot = FactorParameters(
                globalMean: mean, userBiases: userBiases, itemBiases: itemBiases,
                userFactors: userFactors, itemFactors: itemFactors)
            if monitor.record(epoch: epoch, predict: snapshot.predict) { break }
        }
        return MatrixFactorizationModel(
            parameters: FactorParameters(
                globalMean: mean, userBiases: userBiases, itemBiases: itemBiases,
                userFactors: userFactors, itemFactors: itemFactors))
    }
}

/// One SGD update of biased matrix factorisation, with the epoch's constants.
struct SGDStep: Sendable {
    let mean: Float
    let learningRate: Float
    let biasRegularization: Float
    let factorRegularization: Float
    let stride: Int

    /// Updates the biases and factors of the rating's user and item.
    @inline(__always)
    func apply(
        _ rating: ShuffledRatings.Entry, users: UnsafeMutablePointer<Float>, items: UnsafeMutablePointer<Float>,
        userBiases: UnsafeMutablePointer<Float>, itemBiases: UnsafeMutablePointer<Float>
    ) {
        let user = Int(rating.user), item = Int(rating.item)
        let userRow = users + user * stride, itemRow = items + item * stride
        let error =
            rating.rating
            - (mean + userBiases[user] + itemBiases[item]
                + VectorKernels.dot(userRow, itemRow, length: stride))
        userBiases[user] += learningRate * (error - biasRegularization * userBiases[user])
        itemBiases[item] += learningRate * (error - biasRegularization * itemBiases[item])
        let scaledError = VectorKernels.Lane(repeating: learningRate * error)
        let decay = VectorKernels.Lane(repeating: 1 - learningRate * factorRegularization)
        var index = 0
        while index < stride {
            let userValues = VectorKernels.load(userRow + index)
            let itemValues = VectorKernels.load(itemRow + index)
            VectorKernels.store(userValues * decay + scaledError * itemValues, to: userRow + index)
            VectorKernels.store(itemValues * decay + scaledError * userValues, to: itemRow + index)
            index &+= 16
        }
    }
}

/// The ratings packed as (user, item, rating) triples in an order that is reshuffled every
/// epoch, so SGD reads them sequentially.
struct ShuffledRatings: Sendable {
    /// One rating.
    struct Entry: Sendable {
        var user: Int32
        var item: Int32
        var rating: Float
    }

    /// The ratings in the current order.
    var entries: [Entry]

    init(_ ratings: IndexedRatings) {
        entries = (0..<ratings.count).map { Entry(user: ratings.users[$0], item: ratings.items[$0], rating: ratings.ratings[$0]) }
    }

    /// Puts the ratings in a new uniformly random order.
    mutating func shuffle(using generator: inout SeededRandomNumberGenerator) {
        entries.withUnsafeMutableBufferPointer { buffer in
            var index = buffer.count - 1
            while index > 0 {
                let other = generator.nextIndex(below: index + 1)
                buffer.swapAt(index, other)
                index -= 1
            }
        }
    }
}
