import RecSupport

/// Draws one user's (or one item's) bias and factor vector jointly from their Gaussian
/// conditional given everything else: the block Gibbs step of Bayesian matrix factorisation
/// (Salakhutdinov and Mnih, 2008), here with a diagonal Normal–Gamma prior per factor.
///
/// For row `r` with ratings `t_j = r_rj − μ − b_j` against the other side's vectors `v_j`, the
/// unknowns `(b_r, x_r)` have prior means `(m_b, m + s_r)` (`s_r` is the row's implicit-feedback
/// sum, zero for plain factorisation) and precisions `(λ_b, diag λ)`, and noise precision `α`.
/// The bias is integrated out first: with `n` ratings, `g = Σ v_j`, `c = Σ t_j v_j` and
/// `G = Σ v_j v_jᵀ`, the marginal of `x_r` has precision
/// `A = αG + diag λ − α² g gᵀ / (αn + λ_b)` and `A × mean = αc + λ∘(m + s_r) − αg (αΣt + λ_b m_b) / (αn + λ_b)`.
/// `x_r` is drawn as `mean + L⁻ᵀ ε` with `A = L Lᵀ`, then
/// `b_r ~ Normal((αΣt + λ_b m_b − αg·x_r) / (αn + λ_b), 1 / (αn + λ_b))`. Users and items
/// are conditionally independent within a half-sweep, so rows are drawn in parallel.
struct RowConditionalSampler: @unchecked Sendable {
    /// The real factors per row.
    let factorCount: Int
    /// The padded row length, a multiple of 16.
    let stride: Int
    /// The noise precision α.
    let noisePrecision: Float
    /// The fixed global mean μ.
    let globalMean: Float
    /// The prior mean of the row biases.
    let biasMean: Float
    /// The prior precision of the row biases.
    let biasPrecision: Float
    /// `stride` prior means of the factors (beyond the implicit sum).
    let factorMeans: UnsafePointer<Float>
    /// `stride` prior precisions of the factors.
    let factorPrecisions: UnsafePointer<Float>
    /// `rowCount + 1` offsets into `others` and `ratings`.
    let offsets: UnsafePointer<Int>
    /// The other side's index of each rating, grouped by row.
    let others: UnsafePointer<Int32>
    /// The rating values, grouped by row.
    let ratings: UnsafePointer<Float>
    /// The other side's vectors, `stride` apart.
    let otherFactors: UnsafePointer<Float>
    /// The other side's biases.
    let otherBiases: UnsafePointer<Float>
    /// Each row's implicit-feedback sum `s_r`, `stride` apart, or nil.
    let implicitSums: UnsafePointer<Float>?
    /// Each row's noise-precision scale `c_r` (the noise precision of its ratings is `α c_r d_j`), or nil for 1.
    let rowNoiseScales: UnsafePointer<Float>?
    /// Each of the other side's noise-precision scales `d_j`, or nil for 1.
    let otherNoiseScales: UnsafePointer<Float>?

    /// Scratch memory for one thread, reused across rows.
    final class Workspace {
        /// The other side's vectors of the current row's ratings, gathered contiguously.
        let gathered: UnsafeMutablePointer<Float>
        /// The rating targets `t_j` of the current row, times `√d_j`.
        let targets: UnsafeMutablePointer<Float>
        /// `√d_j` of the current row's ratings.
        let rootWeights: UnsafeMutablePointer<Float>
        let gram: UnsafeMutablePointer<Float>
        let sum: UnsafeMutablePointer<Float>
        let cross: UnsafeMutablePointer<Float>
        let vector: UnsafeMutablePointer<Float>

        /// Scratch for rows of up to `maximumRatings` ratings.
        init(stride: Int, maximumRatings: Int) {
            gathered = .allocate(capacity: max(stride * maximumRatings, 1))
            targets = .allocate(capacity: max(maximumRatings, 1))
            rootWeights = .allocate(capacity: max(maximumRatings, 1))
            gram = .allocate(capacity: max(stride * stride, 1))
            sum = .allocate(capacity: max(stride, 1))
            cross = .allocate(capacity: max(stride, 1))
            vector = .allocate(capacity: max(stride, 1))
        }

        deinit {
            gathered.deallocate()
            targets.deallocate()
            rootWeights.deallocate()
            gram.deallocate()
            sum.deallocate()
            cross.deallocate()
            vector.deallocate()
        }
    }

    /// Draws row `row`'s bias and factors into `bias` and `factors` (a padded row whose padding
    /// stays zero) and returns the row's sum of squared residuals under the new values, each
    /// weighted by the other side's noise scale `d_j`.
    func sample(
        row: Int, factors: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, workspace: Workspace,
        generator: inout SeededRandomNumberGenerator
    ) -> Double {
        let count = offsets[row + 1] - offsets[row]
        let totals = gather(row: row, into: workspace)
        GramMatrix.accumulateUpper(workspace.gathered, rowCount: count, factorCount: factorCount, stride: stride, into: workspace.gram)
        let marginal = formMarginal(row: row, totals: totals, workspace: workspace)
        let residuals = {
            residualSum(
                count: count, targets: workspace.targets, rootWeights: workspace.rootWeights,
                gathered: workspace.gathered, factors: factors, bias: bias[0])
        }
        if factorCount > 0 {
            guard drawFactors(into: factors, workspace: workspace, generator: &generator) else { return residuals() }
        }
        let biasMeanGivenFactors =
            (marginal.biasInformation - marginal.alpha * VectorKernels.dot(workspace.sum, factors, length: stride))
            / marginal.biasPrecision
        bias[0] = biasMeanGivenFactors + generator.nextStandardNormalPair().0 / marginal.biasPrecision.squareRoot()
        return residuals()
    }

    /// Gathers the other side's vectors of row `row`'s ratings and their targets, scaled by
    /// `√d_j`, into the workspace, and accumulates `g = Σ d v` (in `sum`) and `c = Σ d t v` (in
    /// `cross`). Returns the weighted `Σ d t` and `n = Σ d`.
    @inline(__always)
    private func gather(row: Int, into workspace: Workspace) -> (targetSum: Float, weightSum: Float) {
        let stride = stride, sum = workspace.sum, cross = workspace.cross
        let gathered = workspace.gathered, targets = workspace.targets, rootWeights = workspace.rootWeights
        let start = offsets[row], count = offsets[row + 1] - start
        sum.update(repeating: 0, count: stride)
        cross.update(repeating: 0, count: stride)
        var targetSum: Float = 0, weightSum: Float = 0
        for index in 0..<count {
            let other = Int(others[start + index])
            let weight = otherNoiseScales?[other] ?? 1
            let rootWeight = weight.squareRoot()
            let source = otherFactors + other * stride, destination = gathered + index * stride
            let target = ratings[start + index] - globalMean - otherBiases[other]
            targets[index] = target * rootWeight
            rootWeights[index] = rootWeight
            targetSum += weight * target
            weightSum += weight
            let weightLane = VectorKernels.Lane(repeating: weight), rootLane = VectorKernels.Lane(repeating: rootWeight)
            let targetLane = VectorKernels.Lane(repeating: weight * target)
            var chunk = 0
            while chunk < stride {
                let values = VectorKernels.load(source + chunk)
                VectorKernels.store(rootLane * values, to: destination + chunk)
                VectorKernels.store(VectorKernels.load(sum + chunk) + weightLane * values, to: sum + chunk)
                VectorKernels.store(VectorKernels.load(cross + chunk) + targetLane * values, to: cross + chunk)
                chunk &+= 16
            }
        }
        return (targetSum, weightSum)
    }

    /// Turns the gathered Gram matrix into the marginal precision `A` of the factors (upper
    /// triangle, in `gram`) and writes its right-hand side into `vector`, with the bias
    /// integrated out. Returns the row's noise precision and the bias's precision and information.
    @inline(__always)
    private func formMarginal(
        row: Int, totals: (targetSum: Float, weightSum: Float), workspace: Workspace
    )
        -> (alpha: Float, biasPrecision: Float, biasInformation: Float)
    {
        let stride = stride, factorCount = factorCount
        let gram = workspace.gram, sum = workspace.sum, cross = workspace.cross, vector = workspace.vector
        let alpha = noisePrecision * (rowNoiseScales?[row] ?? 1)
        let biasTotalPrecision = alpha * totals.weightSum + biasPrecision
        let biasInformation = alpha * totals.targetSum + biasPrecision * biasMean
        let downdate = alpha * alpha / biasTotalPrecision
        let alphaLane = VectorKernels.Lane(repeating: alpha)
        for gramRow in 0..<factorCount {
            let rowPointer = gram + gramRow * stride
            let rowScale = VectorKernels.Lane(repeating: downdate * sum[gramRow])
            var chunk = gramRow & ~15
            while chunk < stride {
                VectorKernels.store(
                    alphaLane * VectorKernels.load(rowPointer + chunk) - rowScale * VectorKernels.load(sum + chunk),
                    to: rowPointer + chunk)
                chunk &+= 16
            }
            rowPointer[gramRow] += factorPrecisions[gramRow]
        }
        let implicitSum = implicitSums.map { $0 + row * stride }
        for factor in 0..<factorCount {
            let priorMean = factorMeans[factor] + (implicitSum?[factor] ?? 0)
            vector[factor] =
                alpha * cross[factor] + factorPrecisions[factor] * priorMean
                - alpha * sum[factor] * biasInformation / biasTotalPrecision
        }
        var padding = factorCount
        while padding < stride {
            vector[padding] = 0
            padding += 1
        }
        return (alpha, biasTotalPrecision, biasInformation)
    }

    /// Draws the factors `x = A⁻¹ rhs + U⁻¹ ε` with `A = Uᵀ U` into `factors`: solves
    /// `Uᵀ w = rhs`, adds `ε`, then solves `U x = w + ε`. Returns false, leaving `factors`
    /// unchanged, when `A` is not numerically positive definite.
    @inline(__always)
    private func drawFactors(
        into factors: UnsafeMutablePointer<Float>, workspace: Workspace,
        generator: inout SeededRandomNumberGenerator
    ) -> Bool {
        let gram = workspace.gram, vector = workspace.vector
        guard PaddedCholesky.factor(gram, size: factorCount, stride: stride) else { return false }
        PaddedCholesky.solveTransposed(gram, vector, size: factorCount, stride: stride)
        var factor = 0
        while factor < factorCount {
            let (first, second) = generator.nextStandardNormalPair()
            vector[factor] += first
            if factor + 1 < factorCount { vector[factor + 1] += second }
            factor += 2
        }
        PaddedCholesky.solve(gram, vector, size: factorCount, stride: stride)
        factors.update(from: vector, count: stride)
        return true
    }

    /// `Σ d_j (t_j − b − x·v_j)²` over the row's gathered (√d-scaled) ratings.
    private func residualSum(
        count: Int, targets: UnsafePointer<Float>, rootWeights: UnsafePointer<Float>, gathered: UnsafePointer<Float>,
        factors: UnsafePointer<Float>, bias: Float
    ) -> Double {
        var total: Float = 0
        for index in 0..<count {
            let residual =
                targets[index] - rootWeights[index] * bias - VectorKernels.dot(factors, gathered + index * stride, length: stride)
            total += residual * residual
        }
        return Double(total)
    }
}

extension RowConditionalSampler {
    /// The sampler of `side`'s rows against `other`'s current vectors, under `side`'s current
    /// priors. It points into both sides' memory, so both must outlive it.
    init(side: BayesianChainSide, against other: BayesianChainSide, noisePrecision: Float, globalMean: Float, robustNoise: Bool) {
        self.init(
            factorCount: side.factorCount, stride: side.stride, noisePrecision: noisePrecision, globalMean: globalMean,
            biasMean: side.biasPrior.means[0], biasPrecision: side.biasPrior.precisions[0],
            factorMeans: side.factorPrior.means.pointer, factorPrecisions: side.factorPrior.precisions.pointer,
            offsets: side.offsets.pointer, others: side.others.pointer, ratings: side.ratings.pointer,
            otherFactors: other.factors, otherBiases: other.biases,
            implicitSums: side.groups.isEmpty ? nil : UnsafePointer(side.implicitSums),
            rowNoiseScales: robustNoise ? UnsafePointer(side.noiseScales) : nil,
            otherNoiseScales: robustNoise ? UnsafePointer(other.noiseScales) : nil)
    }
}
