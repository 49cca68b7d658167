import Testing
@testable import RecCore

struct BiasBaselineModelTests {
    /// Three users, three movies, seven ratings: small enough to check by hand.
    static let ratings = IndexedRatings(
        userCount: 3, itemCount: 3,
        users: [0, 0, 1, 1, 2, 2, 2], items: [0, 1, 0, 2, 0, 1, 2],
        ratings: [5, 3, 4, 2, 1, 4, 5])

    @Test func biasesSatisfyTheirClosedFormAtConvergence() throws {
        var settings = BiasBaselineModel.Hyperparameters()
        settings.userRegularization = 2
        settings.itemRegularization = 3
        settings.iterations = 200
        let model = BiasBaselineModel.train(on: Self.ratings, hyperparameters: settings, context: TrainingContext(seed: 1))
        let mean = Self.ratings.meanRating
        #expect(abs(mean - 24.0 / 7.0) < 1e-6)
        // b_i = Σ_u (r − μ − b_u) / (λ_i + n_i) and b_u = Σ_i (r − μ − b_i) / (λ_u + n_u).
        for item in 0..<3 {
            let rows = (0..<7).filter { Self.ratings.items[$0] == Int32(item) }
            let sum = rows.reduce(Float(0)) { $0 + Self.ratings.ratings[$1] - mean - model.userBiases[Int(Self.ratings.users[$1])] }
            #expect(abs(model.itemBiases[item] - sum / (3 + Float(rows.count))) < 1e-5)
        }
        for user in 0..<3 {
            let rows = (0..<7).filter { Self.ratings.users[$0] == Int32(user) }
            let sum = rows.reduce(Float(0)) { $0 + Self.ratings.ratings[$1] - mean - model.itemBiases[Int(Self.ratings.items[$1])] }
            #expect(abs(model.userBiases[user] - sum / (2 + Float(rows.count))) < 1e-5)
        }
    }

    @Test func strongRegularisationShrinksBiasesToZero() {
        var settings = BiasBaselineModel.Hyperparameters()
        settings.userRegularization = 1e9
        settings.itemRegularization = 1e9
        let model = BiasBaselineModel.train(on: Self.ratings, hyperparameters: settings, context: TrainingContext(seed: 1))
        #expect(model.userBiases.allSatisfy { abs($0) < 1e-6 })
        #expect(model.itemBiases.allSatisfy { abs($0) < 1e-6 })
        #expect(abs(model.predict(user: 0, item: 2) - Self.ratings.meanRating) < 1e-5)
    }

    @Test func unknownHyperparameterIsRefusedWithTheKnownNames() {
        #expect(throws: HyperparameterError.self) {
            _ = try BiasBaselineModel.Hyperparameters().overriding(["factors": 3])
        }
        do {
            _ = try BiasBaselineModel.Hyperparameters().overriding(["factors": 3])
        } catch {
            #expect(error.code == .unknownName)
            #expect(error.message.contains("item_regularization"))
        }
    }
}
