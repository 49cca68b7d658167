/// One family of implicit-feedback vectors feeding one side's priors, with the weights of its
/// links: for the user side of flipped SVD++, one vector `y_j` per item and the link
/// `(u, j)` for every item `u` rated, weighted `n_u^-½`.
///
/// A row's implicit sum is `Σ_j weight(r, j) × y_j` over its links. The weights are stored
/// twice, in the row-grouped order of the ratings (to form the sums) and in the owner-grouped
/// order (for `ImplicitFeedbackRegression`).
final class ImplicitFeedbackGroup: @unchecked Sendable {
    /// The weight of each link, in row-grouped rating order.
    let rowWeights: PinnedBuffer<Float>
    /// The weight of each link, in owner-grouped rating order.
    let ownerWeights: PinnedBuffer<Float>
    /// `Σ weight²` over each owner's links.
    let ownerWeightSquares: PinnedBuffer<Float>
    /// The owners with at least one link of non-zero weight.
    let activeOwners: [Int]
    /// The current vectors, `ownerCount × stride`.
    let vectors: UnsafeMutablePointer<Float>
    /// Their prior (one lane per factor).
    let prior: NormalGammaPrior

    /// A group with the given link weights and zero vectors.
    init(rowWeights: [Float], ownerWeights: [Float], ownerOffsets: PinnedBuffer<Int>, stride: Int) {
        self.rowWeights = PinnedBuffer(rowWeights)
        self.ownerWeights = PinnedBuffer(ownerWeights)
        let ownerCount = ownerOffsets.count - 1
        ownerWeightSquares = PinnedBuffer(
            (0..<ownerCount).map { owner in
                (ownerOffsets[owner]..<ownerOffsets[owner + 1]).reduce(Float(0)) { $0 + ownerWeights[$1] * ownerWeights[$1] }
            })
        activeOwners = (0..<ownerCount).filter { ownerOffsets[$0 + 1] > ownerOffsets[$0] }
        vectors = .allocate(capacity: max(ownerCount * stride, 1))
        vectors.initialize(repeating: 0, count: max(ownerCount * stride, 1))
        prior = NormalGammaPrior(laneCount: stride)
    }

    deinit { vectors.deallocate() }
}
