import Testing
@testable import RecCore

struct BayesianFactorizationModelTests {
    /// A planted rank-2 matrix, 3 + u·v with u, v ~ Normal(0, 0.7²), plus Normal(0, 0.1²) noise;
    /// about half the entries are observed and a tenth of those held out.
    static func plantedRatings() -> (training: IndexedRatings, heldOut: IndexedRatings, truth: (Int, Int) -> Float) {
        var generator = SeededRandomNumberGenerator(seed: 12)
        let userCount = 80, itemCount = 60, rank = 2
        let users = (0..<(userCount * rank)).map { _ in Float(generator.nextGaussian()) * 0.7 }
        let items = (0..<(itemCount * rank)).map { _ in Float(generator.nextGaussian()) * 0.7 }
        let truth: @Sendable (Int, Int) -> Float = { user, item in
            3 + (0..<rank).reduce(Float(0)) { $0 + users[user * rank + $1] * items[item * rank + $1] }
        }
        var training: ([Int32], [Int32], [Float]) = ([], [], []), heldOut: ([Int32], [Int32], [Float]) = ([], [], [])
        for user in 0..<userCount {
            for item in 0..<itemCount where generator.nextUnitFloat() < 0.5 {
                let rating = truth(user, item) + Float(generator.nextGaussian()) * 0.1
                if generator.nextUnitFloat() < 0.1 {
                    heldOut.0.append(Int32(user)); heldOut.1.append(Int32(item)); heldOut.2.append(rating)
                } else {
                    training.0.append(Int32(user)); training.1.append(Int32(item)); training.2.append(rating)
                }
            }
        }
        return (
            IndexedRatings(userCount: userCount, itemCount: itemCount, users: training.0, items: training.1, ratings: training.2),
            IndexedRatings(userCount: userCount, itemCount: itemCount, users: heldOut.0, items: heldOut.1, ratings: heldOut.2),
            truth
        )
    }

    static func settings(factors: Int = 4, sweeps: Int = 80, noiseDegreesOfFreedom: Double = 0) -> BayesianFactorizationHyperparameters {
        var settings = BayesianFactorizationHyperparameters()
        settings.factors = factors
        settings.sweeps = sweeps
        settings.burnIn = 20
        settings.noiseDegreesOfFreedom = noiseDegreesOfFreedom
        settings.sampleGroups = 2
        return settings
    }

    @Test(arguments: [0.0, 100.0])
    func recoversAPlantedLowRankMatrixAndItsNoiseLevel(noiseDegreesOfFreedom: Double) {
        let (training, heldOut, truth) = Self.plantedRatings()
        let model = BayesianMatrixFactorizationModel.train(
            on: training, hyperparameters: Self.settings(noiseDegreesOfFreedom: noiseDegreesOfFreedom),
            context: TrainingContext(seed: 5, threadCount: 2))
        var squaredError = 0.0, squaredSignal = 0.0
        for row in 0..<heldOut.count {
            let user = Int(heldOut.users[row]), item = Int(heldOut.items[row])
            let error = Double(model.predict(user: user, item: item) - truth(user, item))
            squaredError += error * error
            squaredSignal += Double((truth(user, item) - 3) * (truth(user, item) - 3))
        }
        let rmseToTruth = (squaredError / Double(heldOut.count)).squareRoot()
        let signal = (squaredSignal / Double(heldOut.count)).squareRoot()
        // The unseen entries are recovered to a small fraction of how much they vary.
        #expect(rmseToTruth < 0.15, "RMSE to the planted matrix \(rmseToTruth), signal \(signal)")
        #expect(signal > 0.5)
        #expect(abs(model.posterior.noiseStandardDeviation - 0.1) < 0.04, "noise \(model.posterior.noiseStandardDeviation)")
    }

    @Test func implicitFeedbackVariantAlsoRecoversThePlantedMatrix() {
        let (training, heldOut, truth) = Self.plantedRatings()
        let model = BayesianSVDPlusPlusModel.train(
            on: training, hyperparameters: Self.settings(), context: TrainingContext(seed: 5, threadCount: 2))
        var squaredError = 0.0
        for row in 0..<heldOut.count {
            let user = Int(heldOut.users[row]), item = Int(heldOut.items[row])
            let error = Double(model.predict(user: user, item: item) - truth(user, item))
            squaredError += error * error
        }
        let rmse = (squaredError / Double(heldOut.count)).squareRoot()
        #expect(model.parameters.itemImplicitFactors != nil)
        #expect(rmse < 0.15, "RMSE to the planted matrix \(rmse)")
    }

    @Test func theSameSeedGivesTheSameModelWhateverTheThreadCount() {
        let (training, _, _) = Self.plantedRatings()
        let settings = Self.settings(sweeps: 12, noiseDegreesOfFreedom: 100)
        let first = BayesianSVDPlusPlusModel.train(
            on: training, hyperparameters: settings, context: TrainingContext(seed: 9, threadCount: 1))
        let second = BayesianSVDPlusPlusModel.train(
            on: training, hyperparameters: settings, context: TrainingContext(seed: 9, threadCount: 2))
        let third = BayesianSVDPlusPlusModel.train(
            on: training, hyperparameters: settings, context: TrainingContext(seed: 10, threadCount: 2))
        #expect(first.parameters == second.parameters)
        #expect(first.parameters != third.parameters)
    }

    @Test func theServedFormPredictsWhatThePosteriorMeansPredict() {
        let (training, heldOut, _) = Self.plantedRatings()
        let model = BayesianSVDPlusPlusModel.train(
            on: training, hyperparameters: Self.settings(sweeps: 30),
            context: TrainingContext(seed: 2, threadCount: 2))
        let posterior = model.posterior
        let groups = model.parameters.factorCount / 4
        #expect(groups == 2)
        // Re-centring moves the prior means into the global mean and item biases without
        // changing any known user's prediction.
        for row in 0..<heldOut.count {
            let user = Int(heldOut.users[row]), item = Int(heldOut.items[row])
            var expected = posterior.globalMean + posterior.userBiases[user] + posterior.itemBiases[item]
            for factor in 0..<posterior.userFactors.factorCount {
                expected +=
                    posterior.userFactors.values[user * posterior.userFactors.stride + factor]
                    * posterior.itemFactors.values[item * posterior.itemFactors.stride + factor]
            }
            #expect(abs(model.predict(user: user, item: item) - expected) < 1e-4)
        }
        #expect(model.parameters.foldInPrior?.factorPenalties.count == model.parameters.factorCount)
    }

    @Test func bayesianSVDPlusPlusBeatsTheBaselineOnMovieLens100k() throws {
        let data = try MovieLens100kFixture.load()
        let model = BayesianSVDPlusPlusModel.train(
            on: data.training, hyperparameters: Self.settings(factors: 16, sweeps: 60, noiseDegreesOfFreedom: 100),
            context: TrainingContext(seed: 7, threadCount: 2))
        let baseline = BiasBaselineModel.train(on: data.training, hyperparameters: .init(), context: TrainingContext(seed: 7))
        let rmse = RatingMetrics.rmse(of: data.test, predict: model.predict)
        #expect(rmse < RatingMetrics.rmse(of: data.test, predict: baseline.predict) - 0.03)
        #expect(rmse < 0.92, "RMSE \(rmse)")
    }
}
