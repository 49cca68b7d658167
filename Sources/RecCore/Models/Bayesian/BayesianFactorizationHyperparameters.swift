/// The settings of the Bayesian factorisation models, `bayesian-mf` and `bayesian-svdpp`.
///
/// There are no regularisation strengths or learning rates: the sampler learns every prior
/// precision and the noise level from the data. What is left is the model's size, how long
/// the chain runs, and the robust noise model. The defaults were chosen on the seeded
/// validation split of the embedded MovieLens-1M training file (`docs/accuracy.md`) within the
/// time budget of `rec-cli train`.
public struct BayesianFactorizationHyperparameters: ModelHyperparameters {
    /// The number of latent factors.
    public var factors: Int = 48
    /// Gibbs sweeps in all, burn-in included.
    public var sweeps: Int = 300
    /// Sweeps discarded before samples are averaged.
    public var burnIn: Int = 30
    /// ν of the per-user and per-item noise-precision scales `Gamma(ν/2, ν/2)`; 0 gives every
    /// rating the same noise level.
    public var noiseDegreesOfFreedom: Double = 100
    /// Groups of consecutive kept samples stored side by side (see `BayesianPosterior`); more
    /// than 1 narrows the gap to the averaged predictions for known users a little but makes
    /// folded-in people agree less with them, so the default stores one posterior mean.
    public var sampleGroups: Int = 1
    /// The standard deviation of the random initial factors.
    public var initialStandardDeviation: Double = 0.1

    /// The default settings.
    public init() {}

    /// The settings by name.
    public var dictionary: [String: Double] {
        [
            "factors": Double(factors), "sweeps": Double(sweeps), "burn_in": Double(burnIn),
            "noise_degrees_of_freedom": noiseDegreesOfFreedom, "sample_groups": Double(sampleGroups),
            "initial_standard_deviation": initialStandardDeviation,
        ]
    }

    /// Settings with named overrides.
    public func overriding(_ values: [String: Double]) throws(HyperparameterError) -> Self {
        try applying(values) { settings, name, value in
            switch name {
            case "factors": settings.factors = max(1, Int(value))
            case "sweeps": settings.sweeps = max(1, Int(value))
            case "burn_in": settings.burnIn = Int(value)
            case "noise_degrees_of_freedom": settings.noiseDegreesOfFreedom = value
            case "sample_groups": settings.sampleGroups = max(1, Int(value))
            case "initial_standard_deviation": settings.initialStandardDeviation = value
            default: return false
            }
            return true
        }
    }

    /// The chain settings, with or without the implicit feedback of flipped SVD++.
    func chainSettings(usesImplicitFeedback: Bool) -> BayesianFactorizationSettings {
        var settings = BayesianFactorizationSettings(
            factorCount: factors, sweeps: sweeps, burnIn: burnIn,
            usesImplicitFeedback: usesImplicitFeedback,
            initialStandardDeviation: Float(initialStandardDeviation))
        settings.noiseDegreesOfFreedom = noiseDegreesOfFreedom > 0 ? noiseDegreesOfFreedom : nil
        settings.sampleGroups = sampleGroups
        return settings
    }
}
