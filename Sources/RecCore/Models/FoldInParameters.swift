/// The regularisation of the ridge solve that folds a new person into a trained model.
///
/// A person with `n` ratings gets the factor penalty `factorRegularization × (n + priorRatingCount)`:
/// per rating, like the SGD penalty the factors were trained with, so a heavy rater is folded
/// in consistently with training, plus pseudo-ratings so the penalty stays firm for someone who
/// rated two movies. The bias penalty is a constant number of pseudo-ratings, which shrinks the
/// bias of a person with few ratings toward zero and barely touches one with many. The values
/// were chosen on validation users folded in from 3, 10 and all of their ratings
/// (`docs/accuracy.md`). Stored with the model, because they depend on how it was trained.
public struct FoldInParameters: Sendable, Equatable {
    /// The penalty on the person's bias, in pseudo-ratings.
    public var biasRegularization: Float
    /// The per-rating penalty on the person's latent vector.
    public var factorRegularization: Float
    /// Pseudo-ratings added to the count in the factor penalty.
    public var priorRatingCount: Float

    /// Creates fold-in parameters.
    public init(biasRegularization: Float, factorRegularization: Float, priorRatingCount: Float) {
        self.biasRegularization = biasRegularization
        self.factorRegularization = factorRegularization
        self.priorRatingCount = priorRatingCount
    }
}
