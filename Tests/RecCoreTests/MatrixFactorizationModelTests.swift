import Testing
@testable import RecCore
@testable import RecModels
@testable import RecSupport

struct MatrixFactorizationModelTests {
    /// One SGD step must move each parameter by −η × ∂L/∂θ of the per-rating loss
    /// L = ½e² + ½λ_b(b_u² + b_i²) + ½λ_f(‖p_u‖² + ‖q_i‖²); the gradient is checked numerically.
    @Test func sgdStepFollowsTheNumericalGradient() {
        let factorCount = 5, stride = FactorMatrix.paddedStride(for: factorCount)
        var generator = SeededRandomNumberGenerator(seed: 3)
        var users = FactorMatrix(rowCount: 1, factorCount: factorCount, standardDeviation: 0.3, generator: &generator)
        var items = FactorMatrix(rowCount: 1, factorCount: factorCount, standardDeviation: 0.3, generator: &generator)
        var userBiases: [Float] = [0.2], itemBiases: [Float] = [-0.1]
        let mean: Float = 3.5, rating: Float = 4, learningRate: Float = 1e-3, biasPenalty: Float = 0.02, factorPenalty: Float = 0.05

        func loss(_ p: [Float], _ q: [Float], _ bu: Float, _ bi: Float) -> Double {
            let dot = zip(p, q).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            let error = Double(rating - (mean + bu + bi + dot))
            let factorNorm = p.reduce(Float(0)) { $0 + $1 * $1 } + q.reduce(Float(0)) { $0 + $1 * $1 }
            return 0.5 * error * error + 0.5 * Double(biasPenalty) * Double(bu * bu + bi * bi) + 0.5 * Double(factorPenalty)
                * Double(factorNorm)
        }
        let p0 = Array(users.row(0)), q0 = Array(items.row(0)), bu0 = userBiases[0], bi0 = itemBiases[0]
        let step = SGDStep(
            mean: mean, learningRate: learningRate, biasRegularization: biasPenalty,
            factorRegularization: factorPenalty, stride: stride)
        users.values.withUnsafeMutableBufferPointer { u in
            items.values.withUnsafeMutableBufferPointer { i in
                userBiases.withUnsafeMutableBufferPointer { ub in
                    itemBiases.withUnsafeMutableBufferPointer { ib in
                        step.apply(
                            ShuffledRatings.Entry(user: 0, item: 0, rating: rating), users: u.baseAddress!, items: i.baseAddress!,
                            userBiases: ub.baseAddress!, itemBiases: ib.baseAddress!)
                    }
                }
            }
        }
        let h: Float = 1e-3
        for factor in 0..<factorCount {
            var plus = p0, minus = p0
            plus[factor] += h
            minus[factor] -= h
            let gradient = (loss(plus, q0, bu0, bi0) - loss(minus, q0, bu0, bi0)) / Double(2 * h)
            let moved = Double(users.values[factor] - p0[factor]) / Double(-learningRate)
            #expect(abs(moved - gradient) < 2e-3, "p[\(factor)]: step \(moved) vs gradient \(gradient)")
        }
        let biasGradient = (loss(p0, q0, bu0 + h, bi0) - loss(p0, q0, bu0 - h, bi0)) / Double(2 * h)
        #expect(abs(Double(userBiases[0] - bu0) / Double(-learningRate) - biasGradient) < 2e-3)
        // Padding columns stay exactly zero, so padded dot products remain exact.
        #expect(users.values[factorCount..<stride].allSatisfy { $0 == 0 })
    }

    @Test func trainingReducesValidationErrorOnMovieLens100k() throws {
        let data = try MovieLens100kFixture.load()
        var settings = MatrixFactorizationModel.Hyperparameters()
        settings.factors = 16
        settings.epochs = 25
        let model = MatrixFactorizationModel.train(on: data.training, hyperparameters: settings, context: TrainingContext(seed: 7))
        let baseline = BiasBaselineModel.train(on: data.training, hyperparameters: .init(), context: TrainingContext(seed: 7))
        let mfRMSE = RatingMetrics.rmse(of: data.test, predict: model.predict)
        let baselineRMSE = RatingMetrics.rmse(of: data.test, predict: baseline.predict)
        #expect(mfRMSE < baselineRMSE)
        #expect(mfRMSE < 0.95)
    }

    @Test func sameSeedGivesTheSameModel() throws {
        let data = try MovieLens100kFixture.load()
        var settings = MatrixFactorizationModel.Hyperparameters()
        settings.factors = 8
        settings.epochs = 3
        let first = MatrixFactorizationModel.train(on: data.training, hyperparameters: settings, context: TrainingContext(seed: 11))
        let second = MatrixFactorizationModel.train(on: data.training, hyperparameters: settings, context: TrainingContext(seed: 11))
        let third = MatrixFactorizationModel.train(on: data.training, hyperparameters: settings, context: TrainingContext(seed: 12))
        #expect(first.parameters == second.parameters)
        #expect(first.parameters != third.parameters)
    }
}
