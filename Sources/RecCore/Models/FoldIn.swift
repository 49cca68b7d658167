/// A person who is not in the training data, expressed in the model's terms.
public struct FoldedInPerson: Sendable, Equatable {
    /// The person's rating bias.
    public var bias: Float
    /// The person's latent vector, padded to the model's stride, implicit part included.
    public var factors: [Float]

    /// Creates a folded-in person.
    public init(bias: Float, factors: [Float]) {
        self.bias = bias
        self.factors = factors
    }
}

/// Folds a new person into a trained model from a handful of (movie, rating) pairs by a
/// ridge solve against the fixed item parameters: no retraining.
///
/// It minimises `Σ_j (r_j − μ − b_j − b − q_j·(p + z))² + λ_b·b² + Σ_f λ_f·p_f²` over the
/// person's bias `b` and vector `p`, where `z = n^-½ Σ_j y_j` is SVD++'s implicit sum of
/// the rated movies (zero for plain factorisation). For SGD-trained models every `λ_f` is
/// `factorRegularization × (n + priorRatingCount)` (see `FoldInParameters`); a Bayesian model
/// stores one constant penalty per factor (`FoldInPrior`), which makes the result the person's
/// posterior mean given the item parameters. Each coordinate is rescaled by `1/√λ` so one
/// unit penalty covers all, and the bias is solved jointly as one more coordinate. With fewer
/// ratings than unknowns it solves the `n × n` dual system, otherwise the `(k+1) × (k+1)`
/// primal one.
public enum FoldIn {
    /// Solves for the person who gave `ratings` to `items` (dense indices; a repeated item
    /// keeps its last rating; out-of-range items are ignored).
    public static func solve(items: [Int], ratings: [Float], model: ItemParameterView) -> FoldedInPerson {
        precondition(items.count == ratings.count, "every item needs a rating")
        let (order, lastRating) = distinctRatings(items: items, ratings: ratings, itemCount: model.itemCount)
        let implicitSum = implicitSum(of: order, model: model)
        guard !order.isEmpty else { return FoldedInPerson(bias: 0, factors: implicitSum) }

        let factorCount = model.factorCount
        let scales = featureScales(ratingCount: order.count, model: model)
        let (features, targets) = scaledProblem(order: order, ratings: lastRating, implicitSum: implicitSum, scales: scales, model: model)
        let weights = ridgeSolution(features: features, targets: targets, rowCount: order.count, dimension: factorCount + 1)
        var factors = implicitSum
        for factor in 0..<factorCount { factors[factor] += Float(weights[factor] * scales[factor]) }
        return FoldedInPerson(bias: Float(weights[factorCount] * scales[factorCount]), factors: factors)
    }

    /// The distinct in-range items in order of first appearance, each with its last rating.
    private static func distinctRatings(items: [Int], ratings: [Float], itemCount: Int) -> (order: [Int], lastRating: [Int: Float]) {
        var lastRating: [Int: Float] = [:]
        var order: [Int] = []
        for (item, rating) in zip(items, ratings) where item >= 0 && item < itemCount {
            if lastRating.updateValue(rating, forKey: item) == nil { order.append(item) }
        }
        return (order, lastRating)
    }

    /// SVD++'s implicit part of the person's vector, `|N|^-½ Σ_{j∈N} y_j`, or zeros for a model
    /// without implicit factors.
    private static func implicitSum(of order: [Int], model: ItemParameterView) -> [Float] {
        let stride = model.stride
        var implicitSum = [Float](repeating: 0, count: stride)
        if let implicit = model.itemImplicitFactors, !order.isEmpty {
            let scale = 1 / Float(order.count).squareRoot()
            implicitSum.withUnsafeMutableBufferPointer { sum in
                for item in order {
                    VectorKernels.addScaled(implicit.baseAddress! + item * stride, scale: scale, to: sum.baseAddress!, length: stride)
                }
            }
        }
        return implicitSum
    }

    /// The feature scale `1/√λ` of each coordinate (factors, then the bias), which turns every
    /// coordinate's penalty `λ` into a unit penalty.
    private static func featureScales(ratingCount: Int, model: ItemParameterView) -> [Double] {
        let factorCount = model.factorCount
        var scales = [Double](repeating: 0, count: factorCount + 1)
        if let penalties = model.foldInFactorPenalties {
            for factor in 0..<factorCount { scales[factor] = 1 / max(Double(penalties[factor]), 1e-9).squareRoot() }
        } else {
            let weight = Double(ratingCount) + Double(model.foldIn.priorRatingCount)
            let factorScale = 1 / max(Double(model.foldIn.factorRegularization) * weight, 1e-9).squareRoot()
            for factor in 0..<factorCount { scales[factor] = factorScale }
        }
        scales[factorCount] = 1 / max(Double(model.foldIn.biasRegularization), 1e-9).squareRoot()
        return scales
    }

    /// The scaled features `x_j = [q_j, 1] / √λ` (row-major, `factorCount + 1` per rating) and
    /// targets `t_j = r_j − μ − b_j − q_j·z`, in Double.
    private static func scaledProblem(
        order: [Int], ratings: [Int: Float], implicitSum: [Float], scales: [Double],
        model: ItemParameterView
    ) -> (features: [Double], targets: [Double]) {
        let stride = model.stride, factorCount = model.factorCount, dimension = factorCount + 1
        var features = [Double](repeating: 0, count: order.count * dimension)
        var targets = [Double](repeating: 0, count: order.count)
        implicitSum.withUnsafeBufferPointer { sum in
            for (row, item) in order.enumerated() {
                let itemRow = model.itemFactors.baseAddress! + item * stride
                for factor in 0..<factorCount { features[row * dimension + factor] = Double(itemRow[factor]) * scales[factor] }
                features[row * dimension + factorCount] = scales[factorCount]
                let implicitPart = stride > 0 ? VectorKernels.dot(itemRow, sum.baseAddress!, length: stride) : 0
                targets[row] = Double(ratings[item]! - model.globalMean - model.itemBiases[item] - implicitPart)
            }
        }
        return (features, targets)
    }

    /// The ridge solution `w` of `min |X w − t|² + |w|²` for `rowCount` feature rows of
    /// `dimension` values: through the dual `(X Xᵀ + I) α = t, w = Xᵀ α` when there are fewer
    /// rows than unknowns, otherwise through the primal `(Xᵀ X + I) w = Xᵀ t`.
    private static func ridgeSolution(features: [Double], targets: [Double], rowCount count: Int, dimension: Int) -> [Double] {
        let unitPenalty = 1.0
        var weights = [Double](repeating: 0, count: dimension)
        if count < dimension {
            var gram = [Double](repeating: 0, count: count * count)
            for row in 0..<count {
                for column in 0...row {
                    var value = 0.0
                    for index in 0..<dimension { value += features[row * dimension + index] * features[column * dimension + index] }
                    gram[row * count + column] = value
                    gram[column * count + row] = value
                }
                gram[row * count + row] += unitPenalty
            }
            var alpha = targets
            CholeskySolver.solve(&gram, &alpha, size: count)
            for row in 0..<count {
                for index in 0..<dimension { weights[index] += features[row * dimension + index] * alpha[row] }
            }
        } else {
            var gram = [Double](repeating: 0, count: dimension * dimension)
            for row in 0..<count {
                let base = row * dimension
                for first in 0..<dimension {
                    let value = features[base + first]
                    weights[first] += value * targets[row]
                    for second in 0...first { gram[first * dimension + second] += value * features[base + second] }
                }
            }
            for first in 0..<dimension {
                gram[first * dimension + first] += unitPenalty
                for second in 0..<first { gram[second * dimension + first] = gram[first * dimension + second] }
            }
            CholeskySolver.solve(&gram, &weights, size: dimension)
        }
        return weights
    }
}
