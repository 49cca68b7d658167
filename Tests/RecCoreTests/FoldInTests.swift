import Testing
@testable import RecCore

struct FoldInTests {
    /// Runs `body` with an item view over `parameters`.
    static func withView<Result>(
        _ parameters: FactorParameters, ratingCounts: [Int32], foldIn: FoldInParameters,
        _ body: (ItemParameterView) -> Result
    ) -> Result {
        parameters.withItemParameterView(itemRatingCounts: ratingCounts, foldIn: foldIn, body)
    }

    @Test func biasOnlyFoldInIsTheShrunkMeanResidual() {
        let parameters = FactorParameters(globalMean: 3, userBiases: [], itemBiases: [0.5, -0.5, 0])
        let foldIn = FoldInParameters(biasRegularization: 0.1, factorRegularization: 0.1, priorRatingCount: 4)
        let person = Self.withView(parameters, ratingCounts: [1, 1, 1], foldIn: foldIn) { view in
            FoldIn.solve(items: [0, 1], ratings: [5, 4], model: view)
        }
        // Σ (r − μ − b_i) / (n + λ_b) = (1.5 + 1.5) / (2 + 0.1).
        #expect(abs(person.bias - 3 / 2.1) < 1e-5)
    }

    @Test func dualAndPrimalSolvesAgree() {
        var generator = SeededRandomNumberGenerator(seed: 5)
        let factorCount = 6, itemCount = 40
        let parameters = FactorParameters(
            globalMean: 3.6, userBiases: [], itemBiases: (0..<itemCount).map { _ in Float(generator.nextGaussian()) * 0.3 },
            userFactors: FactorMatrix(rowCount: 0, factorCount: factorCount),
            itemFactors: FactorMatrix(rowCount: itemCount, factorCount: factorCount, standardDeviation: 0.5, generator: &generator))
        let foldIn = FoldInParameters(biasRegularization: 0.05, factorRegularization: 0.08, priorRatingCount: 3)
        let counts = [Int32](repeating: 1, count: itemCount)
        // Six ratings give 6 equations for 7 unknowns (dual); the reference solves the primal system directly.
        let items = [1, 4, 9, 16, 25, 36], ratings: [Float] = [5, 1, 4, 2, 3, 5]
        let person = Self.withView(parameters, ratingCounts: counts, foldIn: foldIn) {
            FoldIn.solve(items: items, ratings: ratings, model: $0)
        }

        let weight = Double(items.count) + 3
        let factorPenalty = 0.08 * weight, biasPenalty = 0.05
        let dimension = factorCount + 1
        var gram = [Double](repeating: 0, count: dimension * dimension), rightHandSide = [Double](repeating: 0, count: dimension)
        for (item, rating) in zip(items, ratings) {
            var features = parameters.itemFactors.row(item).map(Double.init)
            features.append(1)
            let target = Double(rating - parameters.globalMean - parameters.itemBiases[item])
            for first in 0..<dimension {
                rightHandSide[first] += features[first] * target
                for second in 0..<dimension { gram[first * dimension + second] += features[first] * features[second] }
            }
        }
        for index in 0..<factorCount { gram[index * dimension + index] += factorPenalty }
        gram[factorCount * dimension + factorCount] += biasPenalty
        #expect(CholeskySolver.solve(&gram, &rightHandSide, size: dimension))
        for factor in 0..<factorCount {
            #expect(abs(Double(person.factors[factor]) - rightHandSide[factor]) < 1e-4)
        }
        #expect(abs(Double(person.bias) - rightHandSide[factorCount]) < 1e-4)
    }

    /// Folding in a training user from their own ratings must reproduce, closely, the
    /// predictions of the factors training learned for them.
    @Test(arguments: [ModelAlgorithm.mf, .svdpp, .bayesianSVDPlusPlus])
    func foldingInATrainingUserAgreesWithTheirTrainedPredictions(_ algorithm: ModelAlgorithm) throws {
        let data = try MovieLens100kFixture.load()
        let parameters: FactorParameters
        // The production settings (see ModelArtifactAssembler).
        var foldIn = FoldInParameters(biasRegularization: 2, factorRegularization: 0.05, priorRatingCount: 20)
        switch algorithm {
        case .bayesianSVDPlusPlus:
            var settings = BayesianFactorizationHyperparameters()
            settings.factors = 16
            settings.sweeps = 60
            parameters =
                BayesianSVDPlusPlusModel.train(
                    on: data.training, hyperparameters: settings,
                    context: TrainingContext(seed: 3, threadCount: 2)
                ).parameters
            // The learned prior, as ModelArtifactAssembler stores it.
            foldIn = FoldInParameters(biasRegularization: parameters.foldInPrior!.biasPenalty, factorRegularization: 0, priorRatingCount: 0)
        case .svdpp:
            var settings = SVDPlusPlusModel.Hyperparameters()
            settings.factors = 16
            settings.epochs = 30
            settings.factorRegularization = 0.05
            parameters = SVDPlusPlusModel.train(on: data.training, hyperparameters: settings, context: TrainingContext(seed: 3)).parameters
        default:
            var settings = MatrixFactorizationModel.Hyperparameters()
            settings.factors = 16
            settings.epochs = 30
            settings.factorRegularization = 0.05
            parameters =
                MatrixFactorizationModel.train(on: data.training, hyperparameters: settings, context: TrainingContext(seed: 3)).parameters
        }
        var squaredDifference = 0.0, spread = 0.0, count = 0
        Self.withView(parameters, ratingCounts: data.training.itemRatingCounts, foldIn: foldIn) { view in
            for user in stride(from: 0, to: data.training.userCount, by: 9) {
                let start = data.training.userOffsets[user], end = data.training.userOffsets[user + 1]
                let person = FoldIn.solve(
                    items: data.training.itemsByUser[start..<end].map(Int.init),
                    ratings: Array(data.training.ratingsByUser[start..<end]), model: view)
                let folded = Recommender.scores(for: person, model: view)
                for item in 0..<data.training.itemCount where data.training.itemRatingCounts[item] >= 20 {
                    let trained = parameters.predict(user: user, item: item)
                    let difference = Double(folded[item] - trained)
                    squaredDifference += difference * difference
                    spread += Double(trained - parameters.globalMean) * Double(trained - parameters.globalMean)
                    count += 1
                }
            }
        }
        let rootMeanSquaredDifference = (squaredDifference / Double(count)).squareRoot()
        let predictionSpread = (spread / Double(count)).squareRoot()
        // The fold-in differs from training by a small fraction of how much predictions vary.
        #expect(rootMeanSquaredDifference < 0.15, "rms difference \(rootMeanSquaredDifference)")
        #expect(rootMeanSquaredDifference < predictionSpread / 4, "spread \(predictionSpread)")
    }
}
