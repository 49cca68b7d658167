/// The learned parameters every RecServe model reduces to, in the form the model file stores.
///
/// A prediction for user `u` and item `i` is
/// `globalMean + userBiases[u] + itemBiases[i] + dot(userFactors[u], itemFactors[i])`.
/// Baselines have zero factors; SVD++ folds its implicit-feedback sum into `userFactors`
/// and keeps `itemImplicitFactors` so new people can be folded in the same way.
public struct FactorParameters: Sendable, Equatable {
    /// The mean training rating.
    public var globalMean: Float
    /// One bias per user.
    public var userBiases: [Float]
    /// One bias per item.
    public var itemBiases: [Float]
    /// User factors (implicit part included).
    public var userFactors: FactorMatrix
    /// Item factors.
    public var itemFactors: FactorMatrix
    /// SVD++'s implicit-feedback item factors `y_j`, or nil.
    public var itemImplicitFactors: FactorMatrix?
    /// A Bayesian model's prior for a new person, which fold-in uses instead of the per-rating
    /// penalty of SGD-trained models; nil for those.
    public var foldInPrior: FoldInPrior?

    /// Creates parameters from their parts.
    public init(
        globalMean: Float, userBiases: [Float], itemBiases: [Float], userFactors: FactorMatrix,
        itemFactors: FactorMatrix, itemImplicitFactors: FactorMatrix? = nil
    ) {
        precondition(
            userFactors.rowCount == userBiases.count && itemFactors.rowCount == itemBiases.count,
            "one bias per factor row")
        precondition(userFactors.factorCount == itemFactors.factorCount, "users and items share the factor count")
        self.globalMean = globalMean
        self.userBiases = userBiases
        self.itemBiases = itemBiases
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.itemImplicitFactors = itemImplicitFactors
    }

    /// Bias-only parameters with no latent factors.
    public init(globalMean: Float, userBiases: [Float], itemBiases: [Float]) {
        self.init(
            globalMean: globalMean, userBiases: userBiases, itemBiases: itemBiases,
            userFactors: FactorMatrix(rowCount: userBiases.count, factorCount: 0),
            itemFactors: FactorMatrix(rowCount: itemBiases.count, factorCount: 0))
    }

    /// The number of latent factors.
    public var factorCount: Int { itemFactors.factorCount }

    /// The unclamped prediction for a known user and item.
    @inline(__always)
    public func predict(user: Int, item: Int) -> Float {
        var prediction = globalMean + userBiases[user] + itemBiases[item]
        let stride = itemFactors.stride
        if stride > 0 {
            prediction += userFactors.values.withUnsafeBufferPointer { users in
                itemFactors.values.withUnsafeBufferPointer { items in
                    VectorKernels.dot(users.baseAddress! + user * stride, items.baseAddress! + item * stride, length: stride)
                }
            }
        }
        return prediction
    }
}

extension FactorParameters {
    /// Training user `user` as a person the recommender can score: their bias and their
    /// factor row, implicit part included.
    public func person(ofUser user: Int) -> FoldedInPerson {
        let stride = userFactors.stride
        return FoldedInPerson(bias: userBiases[user], factors: Array(userFactors.values[(user * stride)..<((user + 1) * stride)]))
    }
}
