import RecSupport

/// Samples the implicit-feedback vectors of Bayesian SVD++ given the current user (or item)
/// vectors: the step that makes a row's prior depend on what it is linked to.
///
/// In the "flipped" SVD++ factorisation machine a user's vector is `x_u = p_u + s_u` with
/// `s_u = n_u^-½ Σ_{j ∈ N(u)} y_j` over the items `N(u)` the user rated in training, and
/// `p_u ~ Normal(m, diag λ⁻¹)`; symmetrically an item's vector adds `n_i^-½ Σ_{v ∈ M(i)} z_v`
/// over the users who rated it. Sampling `x_u` with prior mean `m + s_u` and then the `y_j`
/// given `x` is the same model as the factorisation machine, but the second step is a linear
/// regression of the residuals `d_u = x_u − m − s_u` on the link indicators, and with a
/// diagonal prior every factor is an independent regression. Each `y_j` is drawn coordinate
/// by coordinate from its Gaussian conditional,
/// `precision = λ Σ_{u∈M(j)} n_u⁻¹ + λ_y`,
/// `mean = (λ Σ_{u∈M(j)} n_u^-½ (d_u + n_u^-½ y_j) + λ_y m_y) / precision`,
/// updating `d_u` of the linked rows at once, sixteen factors per SIMD lane group; the factor
/// groups are independent, so threads take whole groups and the result does not depend on
/// how many threads run.
struct ImplicitFeedbackRegression: @unchecked Sendable {
    /// The real factors per row.
    let factorCount: Int
    /// The padded row length, a multiple of 16.
    let stride: Int
    /// `ownerCount + 1` offsets into `linkedRows`: owner `j`'s links are the rows it feeds.
    let ownerOffsets: UnsafePointer<Int>
    /// The rows each owner feeds (for `y_j`: the users who rated item `j`).
    let linkedRows: UnsafePointer<Int32>
    /// The weight of each link, in `linkedRows` order (`n_r^-½` for flipped SVD++).
    let linkWeights: UnsafePointer<Float>
    /// `Σ weight²` over each owner's links.
    let ownerWeightSquares: UnsafePointer<Float>
    /// The rows' prior precisions `λ` (`stride` values); their means are already in the residuals.
    let rowPriorPrecisions: UnsafePointer<Float>
    /// The implicit vectors' prior means `m_y` (`stride` values).
    let ownerPriorMeans: UnsafePointer<Float>
    /// The implicit vectors' prior precisions `λ_y` (`stride` values).
    let ownerPriorPrecisions: UnsafePointer<Float>

    /// Draws new implicit vectors into `owners` (`ownerCount × stride`) given `residuals`
    /// (`d_r = x_r − m − s_r`, updated in place as the owners change), stored group-major:
    /// the sixteen lanes of group `g` of row `r` at `(g × rowCount + r) × 16`, so one group's
    /// residuals are a small contiguous block that stays in cache during its pass.
    func sample(
        owners: UnsafeMutablePointer<Float>, ownerCount: Int, residuals: UnsafeMutablePointer<Float>, rowCount: Int,
        seed: UInt64, threadCount: Int
    ) {
        let groupCount = (factorCount + 15) / 16
        let shared = (SharedMutablePointer(base: owners), SharedMutablePointer(base: residuals))
        ParallelLoop.run(threadCount: min(threadCount, groupCount)) { thread in
            var group = thread
            while group < groupCount {
                var generator = SeededRandomNumberGenerator.stream(UInt64(group), of: seed)
                sampleGroup(
                    group * 16, owners: shared.0.base, ownerCount: ownerCount, residuals: shared.1.base + group * rowCount * 16,
                    generator: &generator)
                group += min(threadCount, groupCount)
            }
        }
    }

    /// One group of sixteen factors starting at `lane`, owner by owner; `residuals` points at
    /// the group's block (row `r` at `r × 16`).
    private func sampleGroup(
        _ lane: Int, owners: UnsafeMutablePointer<Float>, ownerCount: Int,
        residuals: UnsafeMutablePointer<Float>, generator: inout SeededRandomNumberGenerator
    ) {
        typealias Lane = VectorKernels.Lane
        let rowPrecision = VectorKernels.load(rowPriorPrecisions + lane)
        let ownerPrecision = VectorKernels.load(ownerPriorPrecisions + lane)
        let ownerPrior = ownerPrecision * VectorKernels.load(ownerPriorMeans + lane)
        let activeLanes = min(16, factorCount - lane)
        let noise = UnsafeMutablePointer<Float>.allocate(capacity: 16)
        defer { noise.deallocate() }
        noise.initialize(repeating: 0, count: 16)
        for owner in 0..<ownerCount {
            let start = ownerOffsets[owner], end = ownerOffsets[owner + 1]
            let ownerPointer = owners + owner * stride + lane
            let old = VectorKernels.load(ownerPointer)
            var weighted = Lane()
            for position in start..<end {
                let row = Int(linkedRows[position])
                weighted += Lane(repeating: linkWeights[position]) * VectorKernels.load(residuals + row * 16)
            }
            let linkWeight = Lane(repeating: ownerWeightSquares[owner])
            let precision = rowPrecision * linkWeight + ownerPrecision
            let mean = (rowPrecision * (weighted + linkWeight * old) + ownerPrior) / precision
            generator.fillStandardNormal(noise, count: activeLanes)
            let standardDeviation = 1 / precision.squareRoot()
            var new = mean + standardDeviation * VectorKernels.load(noise)
            // Padding lanes stay zero.
            new = new.replacing(with: 0, where: PaddedCholesky.laneIndices .>= Float(activeLanes))
            VectorKernels.store(new, to: ownerPointer)
            let change = new - old
            for position in start..<end {
                let row = Int(linkedRows[position])
                let cell = residuals + row * 16
                VectorKernels.store(VectorKernels.load(cell) - Lane(repeating: linkWeights[position]) * change, to: cell)
            }
        }
    }
}

extension ImplicitFeedbackRegression {
    /// The regression of `group`'s vectors on the residuals of `side`'s rows, under both current
    /// priors. It points into the side's and the group's memory, so both must outlive it.
    init(side: BayesianChainSide, group: ImplicitFeedbackGroup) {
        self.init(
            factorCount: side.factorCount, stride: side.stride, ownerOffsets: side.ownerOffsets.pointer,
            linkedRows: side.ownerLinks.pointer, linkWeights: group.ownerWeights.pointer,
            ownerWeightSquares: group.ownerWeightSquares.pointer, rowPriorPrecisions: side.factorPrior.precisions.pointer,
            ownerPriorMeans: group.prior.means.pointer, ownerPriorPrecisions: group.prior.precisions.pointer)
    }
}
