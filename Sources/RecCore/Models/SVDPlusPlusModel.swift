import RecSupport

/// SVD++ (Koren, 2008): biased matrix factorisation whose user vector also sums the
/// implicit-feedback factors of every movie the user rated:
/// `r̂ = μ + b_u + b_i + q_i · (p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j)`.
///
/// Training sweeps user by user: the implicit sum is computed once per user, the user's
/// ratings are visited in random order with SGD on biases, `p_u` and `q_i`, and the gradient
/// for the `y_j` is accumulated and applied in one batch at the end of the user. `N(u)` is
/// the user's training ratings only; nothing is read from the evaluation file.
public struct SVDPlusPlusModel: RatingModel {
    /// Size, schedule and regularisation.
    public struct Hyperparameters: SGDHyperparameters {
        /// The number of latent factors.
        public var factors: Int = 128
        /// The number of sweeps over all users.
        public var epochs: Int = 60
        /// The learning rate of the first epoch.
        public var learningRate: Double = 0.01
        /// The factor the learning rate is multiplied by after each epoch.
        public var learningRateDecay: Double = 0.95
        /// The L2 penalty on biases.
        public var biasRegularization: Double = 0.01
        /// The L2 penalty on `p_u` and `q_i`.
        public var factorRegularization: Double = 0.06
        /// The L2 penalty on the implicit factors `y_j`, applied once per user sweep.
        public var implicitRegularization: Double = 0.5
        /// The learning rate of the implicit factors, relative to `learningRate`.
        public var implicitLearningRateScale: Double = 1
        /// The standard deviation of the random initial factors.
        public var initialStandardDeviation: Double = 0.05

        /// The default settings.
        public init() {}

        /// The settings by name.
        public var dictionary: [String: Double] {
            sharedDictionary.merging([
                "implicit_regularization": implicitRegularization,
                "implicit_learning_rate_scale": implicitLearningRateScale,
            ]) { shared, _ in shared }
        }

        /// Settings with named overrides.
        public func overriding(_ values: [String: Double]) throws(HyperparameterError) -> Self {
            try applying(values) { settings, name, value in
                switch name {
                case "implicit_regularization": settings.implicitRegularization = value
                case "implicit_learning_rate_scale": settings.implicitLearningRateScale = value
                default: return settings.setShared(name, value)
                }
                return true
            }
        }
    }

    /// The learned parameters; `userFactors` already include each user's implicit sum.
    public let parameters: FactorParameters

    /// Creates a model from learned parameters.
    public init(parameters: FactorParameters) {
        self.parameters = parameters
    }

    /// Runs the user-by-user SGD sweeps.
    public static func train(on ratings: IndexedRatings, hyperparameters: Hyperparameters, context: TrainingContext) -> SVDPlusPlusModel {
        var generator = SeededRandomNumberGenerator.stream(2, of: context.seed)
        let factorCount = hyperparameters.factors
        let deviation = Float(hyperparameters.initialStandardDeviation)
        var userFactors = FactorMatrix(
            rowCount: ratings.userCount, factorCount: factorCount, standardDeviation: deviation, generator: &generator)
        var itemFactors = FactorMatrix(
            rowCount: ratings.itemCount, factorCount: factorCount, standardDeviation: deviation, generator: &generator)
        var implicitFactors = FactorMatrix(rowCount: ratings.itemCount, factorCount: factorCount)
        var userBiases = [Float](repeating: 0, count: ratings.userCount)
        var itemBiases = [Float](repeating: 0, count: ratings.itemCount)
        let mean = ratings.meanRating
        let stride = userFactors.stride
        var monitor = EpochMonitor(context: context, epochCount: hyperparameters.epochs)
        var learningRate = Float(hyperparameters.learningRate)
        var userOrder = Array(0..<ratings.userCount)
        let threadCount = context.threadCount

        for epoch in 1...hyperparameters.epochs {
            userOrder.shuffle(using: &generator)
            let epochSeed = generator.next()
            let sweep = SVDPlusPlusSweep(
                mean: mean, learningRate: learningRate,
                implicitLearningRate: learningRate * Float(hyperparameters.implicitLearningRateScale),
                biasRegularization: Float(hyperparameters.biasRegularization),
                factorRegularization: Float(hyperparameters.factorRegularization),
                implicitRegularization: Float(hyperparameters.implicitRegularization), stride: stride)
            withSharedParameters(&userFactors, &itemFactors, &implicitFactors, &userBiases, &itemBiases) { shared in
                userOrder.withUnsafeBufferPointer { order in
                    let orderPointer = SharedMutablePointer(base: UnsafeMutablePointer(mutating: order.baseAddress!))
                    let userTotal = order.count
                    ParallelLoop.run(threadCount: threadCount) { thread in
                        var threadGenerator = SeededRandomNumberGenerator.stream(UInt64(thread), of: epochSeed)
                        var workspace = SVDPlusPlusSweep.Workspace(stride: stride)
                        for position in ParallelLoop.chunk(thread, of: threadCount, total: userTotal) {
                            sweep.train(
                                user: orderPointer.base[position], ratings: ratings, parameters: shared,
                                workspace: &workspace, generator: &threadGenerator)
                        }
                    }
                }
            }
            learningRate *= Float(hyperparameters.learningRateDecay)
            let snapshot = effectiveParameters(
                ratings: ratings, mean: mean, userBiases: userBiases, itemBiases: itemBiases,
                userFactors: userFactors, itemFactors: itemFactors, implicitFactors: implicitFactors)
            if monitor.record(epoch: epoch, predict: snapshot.predict) { break }
        }
        return SVDPlusPlusModel(
            parameters: effectiveParameters(
                ratings: ratings, mean: mean, userBiases: userBiases, itemBiases: itemBiases,
                userFactors: userFactors, itemFactors: itemFactors,
                implicitFactors: implicitFactors))
    }

    /// Parameters whose user factors are `p_u + |N(u)|^-½ Σ y_j`, ready for plain dot products.
    static func effectiveParameters(
        ratings: IndexedRatings, mean: Float, userBiases: [Float], itemBiases: [Float],
        userFactors: FactorMatrix, itemFactors: FactorMatrix, implicitFactors: FactorMatrix
    ) -> FactorParameters {
        var effective = userFactors
        let stride = effective.stride
        effective.values.withUnsafeMutableBufferPointer { users in
            implicitFactors.values.withUnsafeBufferPointer { implicit in
                ratings.itemsByUser.withUnsafeBufferPointer { itemsByUser in
                    for user in 0..<ratings.userCount {
                        let start = ratings.userOffsets[user], end = ratings.userOffsets[user + 1]
                        guard end > start else { continue }
                        let scale = 1 / Float(end - start).squareRoot()
                        for position in start..<end {
                            VectorKernels.addScaled(
                                implicit.baseAddress! + Int(itemsByUser[position]) * stride, scale: scale,
                                to: users.baseAddress! + user * stride, length: stride)
                        }
                    }
                }
            }
        }
        return FactorParameters(
            globalMean: mean, userBiases: userBiases, itemBiases: itemBiases, userFactors: effective,
            itemFactors: itemFactors, itemImplicitFactors: implicitFactors)
    }

    private static func withSharedParameters(
        _ userFactors: inout FactorMatrix, _ itemFactors: inout FactorMatrix,
        _ implicitFactors: inout FactorMatrix, _ userBiases: inout [Float],
        _ itemBiases: inout [Float], _ body: (SVDPlusPlusSweep.SharedParameters) -> Void
    ) {
        userFactors.values.withUnsafeMutableBufferPointer { users in
            itemFactors.values.withUnsafeMutableBufferPointer { items in
                implicitFactors.values.withUnsafeMutableBufferPointer { implicit in
                    userBiases.withUnsafeMutableBufferPointer { userBias in
                        itemBiases.withUnsafeMutableBufferPointer { itemBias in
                            body(
                                SVDPlusPlusSweep.SharedParameters(
                                    users: users.baseAddress!, items: items.baseAddress!,
                                    implicit: implicit.baseAddress!, userBiases: userBias.baseAddress!,
                                    itemBiases: itemBias.baseAddress!))
                        }
                    }
                }
            }
        }
    }
}

/// One epoch's constants and the per-user SGD step of SVD++.
struct SVDPlusPlusSweep: Sendable {
    /// Parameter memory shared by the threads of a sweep (Hogwild on item rows).
    struct SharedParameters: @unchecked Sendable {
        let users: UnsafeMutablePointer<Float>
        let items: UnsafeMutablePointer<Float>
        let implicit: UnsafeMutablePointer<Float>
        let userBiases: UnsafeMutablePointer<Float>
        let itemBiases: UnsafeMutablePointer<Float>
    }

    /// Per-thread scratch memory reused across users.
    struct Workspace {
        var implicitSum: [Float]
        var gradient: [Float]
        var positions: [Int] = []

        init(stride: Int) {
            implicitSum = [Float](repeating: 0, count: stride)
            gradient = [Float](repeating: 0, count: stride)
        }
    }

    let mean: Float
    let learningRate: Float
    let implicitLearningRate: Float
    let biasRegularization: Float
    let factorRegularization: Float
    let implicitRegularization: Float
    let stride: Int

    /// Trains on all ratings of `user`.
    @inline(__always)
    func train(
        user: Int, ratings: IndexedRatings, parameters: SharedParameters, workspace: inout Workspace,
        generator: inout SeededRandomNumberGenerator
    ) {
        let start = ratings.userOffsets[user], end = ratings.userOffsets[user + 1]
        guard end > start else { return }
        let count = end - start
        let normalizer = 1 / Float(count).squareRoot()
        workspace.positions.removeAll(keepingCapacity: true)
        workspace.positions.append(contentsOf: start..<end)
        workspace.positions.shuffle(using: &generator)
        let stride = stride
        ratings.itemsByUser.withUnsafeBufferPointer { itemsByUser in
            ratings.ratingsByUser.withUnsafeBufferPointer { ratingsByUser in
                workspace.implicitSum.withUnsafeMutableBufferPointer { implicitSumBuffer in
                    workspace.gradient.withUnsafeMutableBufferPointer { gradientBuffer in
                        let implicitSum = implicitSumBuffer.baseAddress!, gradient = gradientBuffer.baseAddress!
                        implicitSumBuffer.update(repeating: 0)
                        gradientBuffer.update(repeating: 0)
                        for position in start..<end {
                            VectorKernels.addScaled(
                                parameters.implicit + Int(itemsByUser[position]) * stride, scale: normalizer,
                                to: implicitSum, length: stride)
                        }
                        let userRow = parameters.users + user * stride
                        let decay = VectorKernels.Lane(repeating: 1 - learningRate * factorRegularization)
                        for position in workspace.positions {
                            let item = Int(itemsByUser[position])
                            let itemRow = parameters.items + item * stride
                            let error =
                                ratingsByUser[position]
                                - (mean + parameters.userBiases[user] + parameters.itemBiases[item]
                                    + VectorKernels.dotOfSum(userRow, implicitSum, itemRow, length: stride))
                            parameters.userBiases[user] += learningRate * (error - biasRegularization * parameters.userBiases[user])
                            parameters.itemBiases[item] += learningRate * (error - biasRegularization * parameters.itemBiases[item])
                            let scaledError = VectorKernels.Lane(repeating: learningRate * error)
                            let plainError = VectorKernels.Lane(repeating: error)
                            var index = 0
                            while index < stride {
                                let userValues = VectorKernels.load(userRow + index)
                                let itemValues = VectorKernels.load(itemRow + index)
                                let sumValues = VectorKernels.load(implicitSum + index)
                                VectorKernels.store(VectorKernels.load(gradient + index) + plainError * itemValues, to: gradient + index)
                                VectorKernels.store(userValues * decay + scaledError * itemValues, to: userRow + index)
                                VectorKernels.store(itemValues * decay + scaledError * (userValues + sumValues), to: itemRow + index)
                                index &+= 16
                            }
                        }
                        let implicitDecay = 1 - implicitLearningRate * implicitRegularization
                        let implicitStep = implicitLearningRate * normalizer
                        for position in start..<end {
                            let implicitRow = parameters.implicit + Int(itemsByUser[position]) * stride
                            VectorKernels.scale(implicitRow, by: implicitDecay, length: stride)
                            VectorKernels.addScaled(gradient, scale: implicitStep, to: implicitRow, length: stride)
                        }
                    }
                }
            }
        }
    }
}
