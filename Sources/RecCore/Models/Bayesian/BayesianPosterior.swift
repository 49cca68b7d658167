/// The posterior means of a Bayesian factorisation chain, and their servable form.
///
/// A served model is one set of factors, so RecServe keeps the posterior mean of every
/// parameter: `E[b_u] + E[b_i] + E[x_u]·E[w_i]` stands in for the average of the sampled
/// predictions `E[b_u + b_i + x_u·w_i]`. The two differ by the posterior covariance of `x_u`
/// and `w_i` (and by any slow rotation of the factors along the chain); `docs/accuracy.md`
/// measures the gap. With `sampleGroups` g > 1 the kept samples are split into g runs of
/// consecutive sweeps and each stored vector is the g run means side by side, each scaled by
/// `1/√g`, so a dot product is the average of the runs' products: g × k stored factors that
/// close part of the gap. The implicit vectors and the prior are replicated the same way.
public struct BayesianPosterior: Sendable {
    /// The fixed global mean μ.
    public var globalMean: Float
    /// `E[b_u]` per user.
    public var userBiases: [Float]
    /// `E[b_i]` per item.
    public var itemBiases: [Float]
    /// `E[x_u]` per user, implicit sum included.
    public var userFactors: FactorMatrix
    /// `E[w_i]` per item, implicit sum included.
    public var itemFactors: FactorMatrix
    /// `E[y_j]` per item (implicit feedback only), for folding in new people.
    public var itemImplicitFactors: FactorMatrix?
    /// `E[m]`, the prior mean of the user factors.
    public var userFactorPriorMeans: [Float]
    /// `E[m_b]`, the prior mean of the user biases.
    public var userBiasPriorMean: Float
    /// The posterior-mean prior of a new person, as ridge penalties.
    public var foldInPrior: FoldInPrior
    /// `√E[α⁻¹]`, the noise level the chain settled on.
    public var noiseStandardDeviation: Double
    /// The number of samples averaged.
    public var sampleCount: Int
    /// The RMSE on the validation ratings of the averaged sampled predictions, when given.
    public var averagedValidationRMSE: Double?

    /// The means as `FactorParameters`, re-centred so that a new person's prior is zero: the
    /// user-bias prior mean moves into the global mean and `E[m]·w_i` into each item bias,
    /// which leaves every known user's prediction unchanged and lets `FoldIn` shrink toward 0.
    public var parameters: FactorParameters {
        let stride = itemFactors.stride
        var centredUsers = userFactors
        for user in 0..<centredUsers.rowCount {
            for factor in 0..<userFactorPriorMeans.count { centredUsers.values[user * stride + factor] -= userFactorPriorMeans[factor] }
        }
        let shiftedItemBiases = (0..<itemBiases.count).map { item -> Float in
            var shift: Float = 0
            for factor in 0..<userFactorPriorMeans.count {
                shift += userFactorPriorMeans[factor] * itemFactors.values[item * stride + factor]
            }
            return itemBiases[item] + shift
        }
        var result = FactorParameters(
            globalMean: globalMean + userBiasPriorMean, userBiases: userBiases.map { $0 - userBiasPriorMean },
            itemBiases: shiftedItemBiases, userFactors: centredUsers, itemFactors: itemFactors,
            itemImplicitFactors: itemImplicitFactors)
        result.foldInPrior = foldInPrior
        return result
    }
}
