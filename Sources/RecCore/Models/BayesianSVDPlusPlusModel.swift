/// Bayesian "flipped" SVD++ by Gibbs sampling: biased matrix factorisation whose user vectors
/// have a prior mean `m + n_u^-½ Σ_{j∈N(u)} y_j` over the movies the user rated and whose
/// item vectors have a prior mean `m' + n_i^-½ Σ_{v∈M(i)} z_v` over the users who rated it,
/// with every precision and the noise level learned (`BayesianFactorizationChain`).
///
/// This is the model class of the "flipped SVD++" factorisation machine of Rendle et al.
/// (*On the difficulty of evaluating baselines*, 2019), sampled in blocks: each user's and
/// item's bias and vector jointly, and the implicit vectors by a regression on the links. The
/// noise precision of each rating is scaled per user and per item (robust noise). Predictions
/// use the posterior means (`BayesianPosterior`). `N(u)` and `M(i)` come from the training
/// ratings only.
public struct BayesianSVDPlusPlusModel: RatingModel {
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
        on ratings: IndexedRatings, hyperparameters: Hyperparameters, context: TrainingContext
    ) -> BayesianSVDPlusPlusModel {
        BayesianSVDPlusPlusModel(
            posterior: BayesianFactorizationChain.run(
                on: ratings, settings: hyperparameters.chainSettings(usesImplicitFeedback: true), context: context))
    }
}
