import Synchronization
import RecModels

/// A model fitted by one algorithm with one set of hyper-parameters, in algorithm-independent form.
struct FittedModel: Sendable {
    /// The learned parameters.
    let parameters: FactorParameters
    /// The full set of hyper-parameters the fit used.
    let hyperparameters: [String: Double]
    /// The validation RMSE after each epoch, when a validation set was given.
    let validationHistory: [Double]
}

/// The type-erased entry point to one `RatingModel` type: its defaults, its search grid and
/// how to fit it, so the pipeline can treat every algorithm alike.
struct AlgorithmTrainer: Sendable {
    /// The algorithm.
    let algorithm: ModelAlgorithm
    /// The default hyper-parameters by name.
    let defaults: [String: Double]
    /// The hyper-parameter overrides tried on the validation split; `[[:]]` means defaults only.
    let searchGrid: [[String: Double]]
    /// Whether the algorithm trains in epochs whose count is chosen by early stopping.
    let hasEpochs: Bool
    /// Whether one fit may use several threads with a result that does not depend on how
    /// many (the Gibbs samplers draw every row from its own random stream); the SGD models
    /// share parameters between threads Hogwild-style, so their fits stay single-threaded.
    let fitsOnSeveralThreads: Bool
    /// Fits the model with the given overrides of the defaults.
    let fit: @Sendable (IndexedRatings, [String: Double], TrainingContext) throws(HyperparameterError) -> FittedModel
    /// The full hyper-parameters for the given overrides, or why they are refused.
    let validate: @Sendable ([String: Double]) throws(HyperparameterError) -> [String: Double]

    /// The search grid with the user's fixed values applied to every candidate; candidates
    /// that become identical are tried once.
    func searchGrid(fixing fixed: [String: Double]) -> [[String: Double]] {
        var grid: [[String: Double]] = []
        for candidate in searchGrid {
            let merged = candidate.merging(fixed) { _, user in user }
            if !grid.contains(merged) { grid.append(merged) }
        }
        return grid.isEmpty ? [fixed] : grid
    }

    /// The trainer of `algorithm`.
    static func forAlgorithm(_ algorithm: ModelAlgorithm) -> AlgorithmTrainer {
        switch algorithm {
        case .mean:
            return make(GlobalMeanModel.self, algorithm, grid: [[:]])
        case .baseline:
            let strengths: [Double] = [2, 5, 10, 25]
            return make(
                BiasBaselineModel.self, algorithm,
                grid: strengths.flatMap { user in
                    strengths.map { item in ["user_regularization": user, "item_regularization": item] }
                })
        case .mf:
            return make(MatrixFactorizationModel.self, algorithm, grid: [0.035, 0.045, 0.055].map { ["factor_regularization": $0] })
        case .svdpp:
            return make(SVDPlusPlusModel.self, algorithm, grid: [0.05, 0.06, 0.07].map { ["factor_regularization": $0] })
        case .bayesianMF:
            // The sampler learns its regularisation; the validation fit only measures.
            return make(BayesianMatrixFactorizationModel.self, algorithm, grid: [[:]], fitsOnSeveralThreads: true)
        case .bayesianSVDPlusPlus:
            return make(BayesianSVDPlusPlusModel.self, algorithm, grid: [[:]], fitsOnSeveralThreads: true)
        }
    }

    private static func make<Model: RatingModel>(
        _ type: Model.Type, _ algorithm: ModelAlgorithm, grid: [[String: Double]],
        fitsOnSeveralThreads: Bool = false
    ) -> AlgorithmTrainer {
        let defaults = Model.Hyperparameters().dictionary
        return AlgorithmTrainer(
            algorithm: algorithm, defaults: defaults, searchGrid: grid, hasEpochs: defaults["epochs"] != nil,
            fitsOnSeveralThreads: fitsOnSeveralThreads,
            fit: {
                ratings, overrides, context throws(HyperparameterError) in
                let hyperparameters = try Model.Hyperparameters().overriding(overrides)
                let history = ValidationHistory()
                var observed = context
                let report = context.report
                observed.report = { progress in
                    if let rmse = progress.validationRMSE { history.append(rmse) }
                    report(progress)
                }
                let model = Model.train(on: ratings, hyperparameters: hyperparameters, context: observed)
                return FittedModel(
                    parameters: model.parameters, hyperparameters: hyperparameters.dictionary,
                    validationHistory: history.values)
            },
            validate: { overrides throws(HyperparameterError) in
                try Model.Hyperparameters().overriding(overrides).dictionary
            })
    }
}

/// Collects per-epoch validation RMSE reported from a training run.
private final class ValidationHistory: Sendable {
    private let storage = Mutex<[Double]>([])

    func append(_ value: Double) { storage.withLock { $0.append(value) } }
    var values: [Double] { storage.withLock { $0 } }
}
