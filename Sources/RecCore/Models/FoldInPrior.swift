/// A Bayesian model's prior for a new person, as ridge penalties in units of the noise
/// variance: the fold-in then returns the person's posterior mean given the item parameters.
///
/// With noise precision α, bias prior precision λ_b and factor prior precisions λ_f, the
/// posterior mean of a person's bias and factors minimises
/// `Σ_j (r_j − r̂_j)² + (λ_b/α) b² + Σ_f (λ_f/α) p_f²`, a ridge whose penalties do not grow
/// with the number of ratings (unlike the per-rating penalty of SGD-trained models).
public struct FoldInPrior: Sendable, Equatable {
    /// `λ_b / α`, the penalty on the person's bias.
    public var biasPenalty: Float
    /// `λ_f / α` for each factor.
    public var factorPenalties: [Float]

    /// Creates a prior.
    public init(biasPenalty: Float, factorPenalties: [Float]) {
        self.biasPenalty = biasPenalty
        self.factorPenalties = factorPenalties
    }
}
