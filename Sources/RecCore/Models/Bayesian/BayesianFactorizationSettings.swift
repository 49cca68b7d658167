/// What a Bayesian factorisation chain samples and for how long.
public struct BayesianFactorizationSettings: Sendable, Equatable {
    /// The number of latent factors.
    public var factorCount: Int
    /// Gibbs sweeps in all, burn-in included.
    public var sweeps: Int
    /// Sweeps discarded before samples are averaged.
    public var burnIn: Int
    /// Whether user and item vectors get the implicit-feedback sums of flipped SVD++.
    public var usesImplicitFeedback: Bool
    /// Degrees of freedom ν of the per-user and per-item noise-precision scales, which are
    /// `Gamma(ν/2, ν/2)` (a Student-t-like robust likelihood); nil for one shared noise level.
    public var noiseDegreesOfFreedom: Double?
    /// Whether each kept sample is rotated into line with the earlier ones before it is
    /// averaged (see `BayesianPosteriorAccumulator`).
    public var alignsSamples: Bool = true
    /// Consecutive groups of kept samples whose means are stored side by side (see
    /// `BayesianPosterior`); 1 stores the plain posterior mean.
    public var sampleGroups: Int = 1
    /// The standard deviation of the random initial factors.
    public var initialStandardDeviation: Float

    /// Creates settings.
    public init(factorCount: Int, sweeps: Int, burnIn: Int, usesImplicitFeedback: Bool, initialStandardDeviation: Float = 0.1) {
        self.factorCount = factorCount
        self.sweeps = sweeps
        self.burnIn = burnIn
        self.usesImplicitFeedback = usesImplicitFeedback
        self.initialStandardDeviation = initialStandardDeviation
    }

    /// The number of samples averaged: the sweeps after burn-in, at least one.
    public var keptSamples: Int { max(1, sweeps - min(burnIn, sweeps - 1)) }
}
