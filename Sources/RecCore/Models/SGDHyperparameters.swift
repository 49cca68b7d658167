/// The settings every SGD factor model has: size, schedule, regularisation and
/// initialisation, named the same way in the metadata and on the command line.
///
/// MF and SVD++ share them; one place maps them to and from names, so the two models cannot
/// drift apart in what `--hyperparameter` accepts.
public protocol SGDHyperparameters: ModelHyperparameters {
    /// The number of latent factors.
    var factors: Int { get set }
    /// The number of passes over the ratings.
    var epochs: Int { get set }
    /// The learning rate of the first epoch.
    var learningRate: Double { get set }
    /// The factor the learning rate is multiplied by after each epoch.
    var learningRateDecay: Double { get set }
    /// The L2 penalty on biases.
    var biasRegularization: Double { get set }
    /// The L2 penalty on factors.
    var factorRegularization: Double { get set }
    /// The standard deviation of the random initial factors.
    var initialStandardDeviation: Double { get set }
}

extension SGDHyperparameters {
    /// The shared settings by name.
    var sharedDictionary: [String: Double] {
        [
            "factors": Double(factors), "epochs": Double(epochs), "learning_rate": learningRate,
            "learning_rate_decay": learningRateDecay, "bias_regularization": biasRegularization,
            "factor_regularization": factorRegularization, "initial_standard_deviation": initialStandardDeviation,
        ]
    }

    /// Sets the shared setting `name` to `value`; false when `name` is not a shared setting.
    mutating func setShared(_ name: String, _ value: Double) -> Bool {
        switch name {
        case "factors": factors = max(1, Int(value))
        case "epochs": epochs = max(1, Int(value))
        case "learning_rate": learningRate = value
        case "learning_rate_decay": learningRateDecay = value
        case "bias_regularization": biasRegularization = value
        case "factor_regularization": factorRegularization = value
        case "initial_standard_deviation": initialStandardDeviation = value
        default: return false
        }
        return true
    }
}
