/// Bayesian biased matrix factorisation by Gibbs sampling (BPMF, Salakhutdinov and Mnih,
/// 2008, with per-factor Normal–Gamma priors and robust noise): `r̂ = μ + b_u + b_i + x_u·w_i`
/// with every precision and the noise level learned (`BayesianFactorizationChain`).
///
/// `BayesianSVDPlusPlusModel` is the same chain with implicit feedback; this one is its
/// ablation and a cheaper alternative.
public struct BayesianMatrixFactorizationModel: RatingModel {
    /// The chain's size and length.
    public typealias Hyperparameters = BayesianFactorizationHyperparameters

    /// The posterior means and what the chain learned.
    public let posterior: BayesianPosterior
    /// The posterior means in servable form.
    public let parameters: FactorParameters

    /// A model from a finished chain.
    public init(posterior: BayesianPosterior) {
        self.posterior = posterior
        parameters = posterior.parameters
    }

    /// Runs the chain.
    public static func train(
        on ratings: IndexedRatings, hyperparameters: Hyperparameters,
        context: TrainingContext
    ) -> BayesianMatrixFactorizationModel {
        BayesianMatrixFactorizationModel(
            posterior: BayesianFactorizationChain.run(
                on: ratings, settings: hyperparameters.chainSettings(usesImplicitFeedback: false), context: context))
    }
}
