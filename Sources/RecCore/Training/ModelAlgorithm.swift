/// The rating models `rec-cli train --model NAME` can train.
public enum ModelAlgorithm: String, Sendable, CaseIterable, Codable {
    /// The mean training rating for everyone.
    case mean
    /// Regularised user and item biases.
    case baseline
    /// Biased matrix factorisation trained by SGD.
    case mf
    /// SVD++: matrix factorisation with implicit feedback from what each user rated.
    case svdpp
    /// Bayesian biased matrix factorisation by Gibbs sampling.
    case bayesianMF = "bayesian-mf"
    /// Bayesian flipped SVD++ by Gibbs sampling: implicit feedback on both sides.
    case bayesianSVDPlusPlus = "bayesian-svdpp"

    /// The default: the most accurate model on validation data that trains within the time
    /// budget of `rec-cli train` (`docs/accuracy.md`).
    public static let defaultAlgorithm = ModelAlgorithm.bayesianSVDPlusPlus

    /// Hyper-parameters of `rec-cli train --quality`: more time for a little more accuracy.
    /// Values fixed with `--hyperparameter` take precedence.
    public var qualityHyperparameters: [String: Double] {
        switch self {
        case .bayesianMF, .bayesianSVDPlusPlus: return ["factors": 64, "sweeps": 600]
        case .mean, .baseline, .mf, .svdpp: return [:]
        }
    }

    /// A one-line description for `--help` and `/api/info`.
    public var summary: String {
        switch self {
        case .mean: return "global mean rating"
        case .baseline: return "regularised user and item biases"
        case .mf: return "biased matrix factorisation (SGD)"
        case .svdpp: return "SVD++ with implicit feedback (SGD, user by user)"
        case .bayesianMF: return "Bayesian matrix factorisation (Gibbs sampling)"
        case .bayesianSVDPlusPlus: return "Bayesian flipped SVD++ (Gibbs sampling, implicit feedback on users and items)"
        }
    }
}
