/// Cholesky factorisation and triangular solves in single precision on square matrices whose
/// rows are padded to a multiple of 16 floats, with SIMD row operations.
///
/// The Gibbs samplers factor one small precision matrix per user and per item on every sweep,
/// tens of thousands of factorisations a second, so these run in `Float` on the padded rows
/// the factor matrices already use. The systems are well conditioned (a positive prior
/// precision is always on the diagonal), which single precision handles comfortably;
/// `CholeskySolver` remains the double-precision choice for fold-in.
///
/// The factor is upper triangular, `A = Uᵀ U`, computed right-looking: after row `j` of `U` is
/// final, its outer product is subtracted from the trailing rows, each update a contiguous
/// SIMD pass over a row. Only the upper triangle of the input (each row from its diagonal to
/// the end) is read; entries left of the diagonal are left as they were and never read.
public enum PaddedCholesky {
    /// Replaces the upper triangle of the `size × size` matrix at `matrix` (row stride
    /// `stride`, a multiple of 16) by its Cholesky factor `U` with `A = Uᵀ U`. Returns false
    /// when `A` is not positive definite.
    public static func factor(_ matrix: UnsafeMutablePointer<Float>, size: Int, stride: Int) -> Bool {
        for pivot in 0..<size {
            let pivotRow = matrix + pivot * stride
            let diagonal = pivotRow[pivot]
            guard diagonal > 0, diagonal.isFinite else { return false }
            let root = diagonal.squareRoot()
            let inverse = 1 / root
            pivotRow[pivot] = root
            for column in (pivot + 1)..<max(size, pivot + 1) { pivotRow[column] *= inverse }
            // A[r][r...] −= U[p][r] × U[p][r...] for every later row r, from r's chunk on.
            for row in (pivot + 1)..<max(size, pivot + 1) {
                let scale = VectorKernels.Lane(repeating: pivotRow[row])
                let target = matrix + row * stride
                var chunk = row & ~15
                while chunk < size {
                    VectorKernels.store(
                        VectorKernels.load(target + chunk) - scale * VectorKernels.load(pivotRow + chunk), to: target + chunk)
                    chunk &+= 16
                }
            }
        }
        return true
    }

    /// Solves `Uᵀ x = b` in place (`vector` holds `b`, then `x`; at least `stride` floats), with
    /// `U` from `factor`, subtracting each solved coordinate times its row of `U`.
    @inline(__always)
    public static func solveTransposed(_ factor: UnsafePointer<Float>, _ vector: UnsafeMutablePointer<Float>, size: Int, stride: Int) {
        for row in 0..<size {
            let rowPointer = factor + row * stride
            let solved = vector[row] / rowPointer[row]
            vector[row] = solved
            let scale = VectorKernels.Lane(repeating: solved)
            // Lanes at or left of `row` in the first chunk are masked out, so solved values stay.
            var chunk = (row + 1) & ~15
            if chunk < size {
                let update = scale * VectorKernels.load(rowPointer + chunk)
                let keep = laneIndices .< Float(row + 1 - chunk)
                VectorKernels.store(VectorKernels.load(vector + chunk) - update.replacing(with: 0, where: keep), to: vector + chunk)
                chunk &+= 16
            }
            while chunk < size {
                VectorKernels.store(VectorKernels.load(vector + chunk) - scale * VectorKernels.load(rowPointer + chunk), to: vector + chunk)
                chunk &+= 16
            }
        }
    }

    /// Solves `U x = b` in place (`vector` holds `b`, then `x`; at least `stride` floats), with
    /// `U` from `factor`, by back substitution.
    @inline(__always)
    public static func solve(_ factor: UnsafePointer<Float>, _ vector: UnsafeMutablePointer<Float>, size: Int, stride: Int) {
        var row = size - 1
        while row >= 0 {
            let rowPointer = factor + row * stride
            var sum: Float = 0
            for column in (row + 1)..<max(size, row + 1) { sum += rowPointer[column] * vector[column] }
            vector[row] = (vector[row] - sum) / rowPointer[row]
            row -= 1
        }
    }

    /// 0, 1, ..., 15, for masking the lanes of a partial chunk.
    @usableFromInline
    static var laneIndices: VectorKernels.Lane { VectorKernels.Lane(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }
}
