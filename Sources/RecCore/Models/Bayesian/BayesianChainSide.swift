import RecSupport

/// The state of one side (users or items) of a Bayesian factorisation chain, and the graph
/// that side is sampled over.
///
/// The rows of this side are sampled against the other side's vectors through the ratings
/// grouped by row. With implicit feedback the side also owns the implicit vectors that feed
/// its rows' priors: for the user side those are the `y_j`, one per item, and row `u` is
/// linked to the items it rated. Memory is raw and owned, because every sweep runs SIMD loops
/// over it from several threads; the rating graph is pinned too (`PinnedBuffer`), so the
/// samplers take its addresses without a closure per array.
final class BayesianChainSide: @unchecked Sendable {
    /// The number of rows (users or items).
    let rowCount: Int
    /// The number of implicit-vector owners (the other side's row count).
    let ownerCount: Int
    /// The padded factor row length.
    let stride: Int
    /// The real factors.
    let factorCount: Int

    /// `rowCount + 1` offsets into `others` and `ratings`.
    let offsets: PinnedBuffer<Int>
    /// The other side's index of each rating, grouped by row; also each row's implicit links.
    let others: PinnedBuffer<Int32>
    /// The ratings grouped by row.
    let ratings: PinnedBuffer<Float>
    /// `ownerCount + 1` offsets into `ownerLinks`.
    let ownerOffsets: PinnedBuffer<Int>
    /// The rows each owner is linked to.
    let ownerLinks: PinnedBuffer<Int32>
    /// The most ratings any row has.
    let maximumRowLength: Int
    /// The rows with at least one rating: only they inform the hyper-priors.
    let activeRows: [Int]
    /// The owners with at least one link.
    let activeOwners: [Int]
    /// The implicit-feedback families feeding this side's priors (empty for plain factorisation).
    var groups: [ImplicitFeedbackGroup] = []

    /// The current row vectors `x_r`, `rowCount × stride`.
    let factors: UnsafeMutablePointer<Float>
    /// The current row biases.
    let biases: UnsafeMutablePointer<Float>
    /// The current implicit sums `s_r`, `rowCount × stride` (zero without implicit feedback).
    let implicitSums: UnsafeMutablePointer<Float>
    /// Scratch: `x_r − s_r`, `rowCount × stride`, for the hyper-prior draw.
    let residuals: UnsafeMutablePointer<Float>
    /// Scratch: the regression residuals `x_r − m − s_r`, group-major (see `ImplicitFeedbackRegression`).
    let regressionResiduals: UnsafeMutablePointer<Float>
    /// Each row's sum of squared residuals from its last draw, weighted by the other side's noise scales.
    let squaredErrors: UnsafeMutablePointer<Double>
    /// Each row's noise-precision scale `c_r` (1 unless the noise model is robust).
    let noiseScales: UnsafeMutablePointer<Float>

    /// The prior of the factors (one lane per factor).
    let factorPrior: NormalGammaPrior
    /// The prior of the biases (one lane).
    let biasPrior: NormalGammaPrior

    /// A side over ratings grouped by row (`offsets`, `others`, `ratings`) whose owners' links
    /// are `ownerOffsets`/`ownerLinks`, with factors drawn from `Normal(0, deviation²)`.
    init(
        offsets: [Int], others: [Int32], ratings: [Float], ownerOffsets: [Int], ownerLinks: [Int32], factorCount: Int,
        deviation: Float, generator: inout SeededRandomNumberGenerator
    ) {
        rowCount = offsets.count - 1
        ownerCount = ownerOffsets.count - 1
        self.factorCount = factorCount
        stride = FactorMatrix.paddedStride(for: factorCount)
        self.offsets = PinnedBuffer(offsets)
        self.others = PinnedBuffer(others)
        self.ratings = PinnedBuffer(ratings)
        self.ownerOffsets = PinnedBuffer(ownerOffsets)
        self.ownerLinks = PinnedBuffer(ownerLinks)
        let rowCount = rowCount, ownerCount = ownerCount
        maximumRowLength = (0..<rowCount).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        activeRows = (0..<rowCount).filter { offsets[$0 + 1] > offsets[$0] }
        activeOwners = (0..<ownerCount).filter { ownerOffsets[$0 + 1] > ownerOffsets[$0] }

        let stride = stride
        factors = .allocate(capacity: max(rowCount * stride, 1))
        factors.initialize(repeating: 0, count: max(rowCount * stride, 1))
        for row in 0..<rowCount {
            for factor in 0..<factorCount { factors[row * stride + factor] = Float(generator.nextGaussian()) * deviation }
        }
        biases = .allocate(capacity: max(rowCount, 1))
        biases.initialize(repeating: 0, count: max(rowCount, 1))
        implicitSums = .allocate(capacity: max(rowCount * stride, 1))
        implicitSums.initialize(repeating: 0, count: max(rowCount * stride, 1))
        residuals = .allocate(capacity: max(rowCount * stride, 1))
        residuals.initialize(repeating: 0, count: max(rowCount * stride, 1))
        regressionResiduals = .allocate(capacity: max(rowCount * stride, 1))
        regressionResiduals.initialize(repeating: 0, count: max(rowCount * stride, 1))
        squaredErrors = .allocate(capacity: max(rowCount, 1))
        squaredErrors.initialize(repeating: 0, count: max(rowCount, 1))
        noiseScales = .allocate(capacity: max(rowCount, 1))
        noiseScales.initialize(repeating: 1, count: max(rowCount, 1))
        factorPrior = NormalGammaPrior(laneCount: stride)
        biasPrior = NormalGammaPrior(laneCount: 1)
    }

    deinit {
        factors.deallocate()
        biases.deallocate()
        implicitSums.deallocate()
        residuals.deallocate()
        regressionResiduals.deallocate()
        squaredErrors.deallocate()
        noiseScales.deallocate()
    }

    /// `n_r^-½` for each row's links in row-grouped order, and in `ownerLinks` order: the
    /// weights of flipped SVD++'s "which pairs were rated" feedback.
    func countNormalizedWeights() -> (rowOrder: [Float], ownerOrder: [Float]) {
        let scales = (0..<rowCount).map { row -> Float in
            let count = offsets[row + 1] - offsets[row]
            return count > 0 ? 1 / Float(count).squareRoot() : 0
        }
        var rowOrder = [Float](repeating: 0, count: others.count)
        for row in 0..<rowCount {
            for position in offsets[row]..<offsets[row + 1] { rowOrder[position] = scales[row] }
        }
        return (rowOrder, (0..<ownerLinks.count).map { scales[Int(ownerLinks[$0])] })
    }

    /// Recomputes every row's total implicit sum `s_r = Σ_groups Σ_j weight(r, j) y_j`.
    func recomputeImplicitSums() {
        implicitSums.update(repeating: 0, count: rowCount * stride)
        let links = others.base, offsets = offsets.base
        for group in groups {
            let weights = group.rowWeights.base
            for row in 0..<rowCount {
                let sum = implicitSums + row * stride
                for position in offsets[row]..<offsets[row + 1] {
                    VectorKernels.addScaled(
                        group.vectors + Int(links[position]) * stride, scale: weights[position], to: sum, length: stride)
                }
            }
        }
    }

    /// Writes `x_r − s_r` into `residuals` for every row.
    func storeFactorsMinusImplicitSums() {
        for row in 0..<rowCount {
            let base = row * stride
            var index = 0
            while index < stride {
                VectorKernels.store(
                    VectorKernels.load(factors + base + index) - VectorKernels.load(implicitSums + base + index),
                    to: residuals + base + index)
                index &+= 16
            }
        }
    }

    /// Writes the regression residuals `x_r − shift − s_r` into `regressionResiduals`, group-major.
    func storeRegressionResiduals(shift: UnsafePointer<Float>) {
        for row in 0..<rowCount {
            var group = 0
            while group * 16 < stride {
                let index = group * 16
                VectorKernels.store(
                    VectorKernels.load(factors + row * stride + index) - VectorKernels.load(implicitSums + row * stride + index)
                        - VectorKernels.load(shift + index), to: regressionResiduals + (group * rowCount + row) * 16)
                group += 1
            }
        }
    }

    /// Sets `s_r = x_r − shift − d_r` from the group-major regression residuals `d_r`.
    func restoreImplicitSumsFromResiduals(shift: UnsafePointer<Float>) {
        for row in 0..<rowCount {
            var group = 0
            while group * 16 < stride {
                let index = group * 16
                VectorKernels.store(
                    VectorKernels.load(factors + row * stride + index) - VectorKernels.load(shift + index)
                        - VectorKernels.load(regressionResiduals + (group * rowCount + row) * 16), to: implicitSums + row * stride + index)
                group += 1
            }
        }
    }
}
