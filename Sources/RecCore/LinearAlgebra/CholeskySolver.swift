/// Solves small symmetric positive-definite systems `A x = b` by Cholesky factorisation.
///
/// Used for ridge solves (folding in a new person, ALS-style updates), where `A` is at most a
/// few hundred rows; it works in `Double` because the Gram matrices of float factors can be
/// badly conditioned at low regularisation.
public enum CholeskySolver {
    /// Solves `A x = b` in place: `matrix` (row-major `size × size`, symmetric positive definite)
    /// is overwritten by its Cholesky factor and `rightHandSide` by the solution.
    /// Returns false, leaving the inputs in an unspecified state, when `A` is not positive definite.
    @discardableResult
    public static func solve(_ matrix: inout [Double], _ rightHandSide: inout [Double], size: Int) -> Bool {
        precondition(matrix.count >= size * size && rightHandSide.count >= size, "matrix and vector must match the size")
        return matrix.withUnsafeMutableBufferPointer { a in
            rightHandSide.withUnsafeMutableBufferPointer { b in
                factorAndSolve(a.baseAddress!, b.baseAddress!, size: size)
            }
        }
    }

    private static func factorAndSolve(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, size n: Int) -> Bool {
        // Lower-triangular factor L with A = L Lᵀ, stored in the lower triangle of `a`.
        for column in 0..<n {
            var diagonal = a[column * n + column]
            for k in 0..<column { diagonal -= a[column * n + k] * a[column * n + k] }
            guard diagonal > 0, diagonal.isFinite else { return false }
            let pivot = diagonal.squareRoot()
            a[column * n + column] = pivot
            for row in (column + 1)..<max(n, column + 1) {
                var value = a[row * n + column]
                for k in 0..<column { value -= a[row * n + k] * a[column * n + k] }
                a[row * n + column] = value / pivot
            }
        }
        // Forward substitution: L y = b.
        for row in 0..<n {
            var value = b[row]
            for k in 0..<row { value -= a[row * n + k] * b[k] }
            b[row] = value / a[row * n + row]
        }
        // Back substitution: Lᵀ x = y.
        for row in stride(from: n - 1, through: 0, by: -1) {
            var value = b[row]
            for k in (row + 1)..<max(n, row + 1) { value -= a[k * n + row] * b[k] }
            b[row] = value / a[row * n + row]
        }
        return true
    }
}
