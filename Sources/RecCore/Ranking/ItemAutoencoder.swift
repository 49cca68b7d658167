import RecSupport

/// The closed-form linear item-to-item models the ranking learns from who rated what: a
/// weight matrix `B` that maps a person's set of rated movies `x` (a 0/1 row) to a "would
/// watch" score `x B` for every movie.
///
/// Both variants minimise `‖X − X B‖² + penalty` over the training users' rows `X` and differ
/// in the penalty, which decides how far they trust many inputs over few:
///
/// - **EASE** (Steck 2019): `λ‖B‖²` with the diagonal forced to zero, so
///   `B = I − P diag(1 / diag P)` with `P = (G + λI)⁻¹`. The state of the art for known
///   users, whose whole history is the input.
/// - **Denoising** (DLAE, Steck 2020): the loss is taken with each input dropped with
///   probability `p`, which in expectation adds `Λ = diag(p / (1 − p) × G_jj + λ)`, so
///   `B = (G + Λ)⁻¹ G = I − P Λ` with `P = (G + Λ)⁻¹`. With `p` near 1 it is trained to guess a
///   whole history from a small part of it, which is what a new person gives.
///
/// `G = XᵀX` comes from `ItemCooccurrence`. The diagonal of `B` is returned as zero in both:
/// a person's own movies are never candidates.
package enum ItemAutoencoder {
    /// EASE's weights for co-occurrence counts `cooccurrence` and ridge penalty `regularization`,
    /// or nil if the regularised matrix is not positive definite.
    package static func ease(cooccurrence: SquareMatrix, regularization: Float, threadCount: Int) -> SquareMatrix? {
        let penalty = [Float](repeating: regularization, count: cooccurrence.size)
        return weights(cooccurrence: cooccurrence, penalty: penalty, threadCount: threadCount) { inverse in
            inverse.diagonal.map { -1 / $0 }
        }
    }

    /// The denoising autoencoder's weights for dropout probability `dropout` (in (0, 1)) and
    /// ridge penalty `regularization`, or nil if the regularised matrix is not positive definite.
    static func denoising(cooccurrence: SquareMatrix, dropout: Float, regularization: Float, threadCount: Int) -> SquareMatrix? {
        precondition(dropout > 0 && dropout < 1, "the dropout probability must be in (0, 1)")
        let penalty = cooccurrence.diagonal.map { dropout / (1 - dropout) * $0 + regularization }
        return weights(cooccurrence: cooccurrence, penalty: penalty, threadCount: threadCount) { _ in penalty.map { -$0 } }
    }

    /// `B[i][j] = P[i][j] × scale[j]` off the diagonal and 0 on it, with `P = (G + diag(penalty))⁻¹`
    /// and `scale` computed from `P`.
    private static func weights(
        cooccurrence: SquareMatrix, penalty: [Float], threadCount: Int,
        columnScale: (SquareMatrix) -> [Float]
    ) -> SquareMatrix? {
        var matrix = cooccurrence
        matrix.addToDiagonal(penalty)
        guard SymmetricInverse.invert(&matrix, threadCount: threadCount) else { return nil }
        var scale = columnScale(matrix)
        scale += [Float](repeating: 0, count: matrix.stride - matrix.size)
        let size = matrix.size, stride = matrix.stride
        let threads = max(1, min(threadCount, size))
        matrix.values.withUnsafeMutableBufferPointer { values in
            let shared = SharedMutablePointer(base: values.baseAddress!)
            scale.withUnsafeBufferPointer { scale in
                let sharedScale = SharedPointer(base: scale.baseAddress!)
                ParallelLoop.run(threadCount: threads) { thread in
                    for row in ParallelLoop.chunk(thread, of: threads, total: size) {
                        let values = shared.base + row * stride
                        var chunk = 0
                        while chunk < stride {
                            VectorKernels.store(
                                VectorKernels.load(values + chunk) * VectorKernels.load(sharedScale.base + chunk), to: values + chunk)
                            chunk &+= 16
                        }
                        values[row] = 0
                    }
                }
            }
        }
        return matrix
    }
}
