/// The rotation that best aligns one set of factor vectors with another (orthogonal
/// Procrustes): `R = argmin ‖A R − B‖` over orthogonal `R`, the orthogonal polar factor of
/// `M = Aᵀ B`.
///
/// Matrix factorisation is unchanged when user and item vectors turn by the same rotation,
/// so a Gibbs chain drifts slowly along rotations; aligning each sample to a reference before
/// averaging keeps the posterior means from blurring. The polar factor is found by the
/// Newton–Schulz iteration `X ← X (3I − XᵀX) / 2` from `M / ‖M‖_F`, which needs only matrix
/// products and converges quadratically for the well-conditioned `M` of nearby samples.
public enum OrthogonalProcrustes {
    /// `Aᵀ B` for the `rowCount` rows of `a` and `b` (padded rows, `stride` apart) whose
    /// `include` is true: a `factorCount × factorCount` row-major matrix in `Double`.
    public static func crossProduct(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rowCount: Int, factorCount: Int,
        stride: Int, include: (Int) -> Bool
    ) -> [Double] {
        var product = [Float](repeating: 0, count: factorCount * stride)
        product.withUnsafeMutableBufferPointer { product in
            for row in 0..<rowCount where include(row) {
                let aRow = a + row * stride, bRow = b + row * stride
                for factor in 0..<factorCount {
                    VectorKernels.addScaled(bRow, scale: aRow[factor], to: product.baseAddress! + factor * stride, length: stride)
                }
            }
        }
        var result = [Double](repeating: 0, count: factorCount * factorCount)
        for row in 0..<factorCount {
            for column in 0..<factorCount { result[row * factorCount + column] = Double(product[row * stride + column]) }
        }
        return result
    }

    /// The orthogonal polar factor of the `size × size` row-major matrix `matrix`; the identity
    /// when `matrix` is zero.
    public static func rotation(polarFactorOf matrix: [Double], size: Int, iterations: Int = 40) -> [Double] {
        var identity = [Double](repeating: 0, count: size * size)
        for index in 0..<size { identity[index * size + index] = 1 }
        let norm = matrix.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else { return identity }
        var current = matrix.map { $0 / norm }
        for _ in 0..<iterations {
            // X ← X (3I − XᵀX) / 2
            var gram = [Double](repeating: 0, count: size * size)
            for row in 0..<size {
                for inner in 0..<size {
                    let value = current[inner * size + row]
                    if value == 0 { continue }
                    for column in 0..<size { gram[row * size + column] += value * current[inner * size + column] }
                }
            }
            var next = [Double](repeating: 0, count: size * size)
            for row in 0..<size {
                for inner in 0..<size {
                    let left = current[row * size + inner]
                    if left == 0 { continue }
                    for column in 0..<size {
                        let right = ((inner == column ? 3 : 0) - gram[inner * size + column]) * 0.5
                        next[row * size + column] += left * right
                    }
                }
            }
            current = next
        }
        return current
    }

    /// Replaces each of the `rowCount` padded rows `x` at `rows` by `x R` (`R` row-major
    /// `factorCount × factorCount`).
    public static func rotate(_ rows: UnsafeMutablePointer<Float>, rowCount: Int, factorCount: Int, stride: Int, by rotation: [Double]) {
        var paddedRotation = [Float](repeating: 0, count: factorCount * stride)
        for row in 0..<factorCount {
            for column in 0..<factorCount { paddedRotation[row * stride + column] = Float(rotation[row * factorCount + column]) }
        }
        var result = [Float](repeating: 0, count: stride)
        paddedRotation.withUnsafeBufferPointer { matrix in
            result.withUnsafeMutableBufferPointer { result in
                for row in 0..<rowCount {
                    let vector = rows + row * stride
                    result.update(repeating: 0)
                    for factor in 0..<factorCount where vector[factor] != 0 {
                        VectorKernels.addScaled(
                            matrix.baseAddress! + factor * stride, scale: vector[factor], to: result.baseAddress!, length: stride)
                    }
                    vector.update(from: result.baseAddress!, count: stride)
                }
            }
        }
    }
}
