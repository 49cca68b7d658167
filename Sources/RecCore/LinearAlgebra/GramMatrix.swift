/// The Gram matrix `G = Σ_r v_r v_rᵀ` of a block of padded vectors, the inner kernel of every
/// block Gibbs update.
///
/// Output rows are computed four at a time in SIMD registers over one 16-column chunk while
/// the vectors stream past, so each vector chunk is loaded once per four output rows instead
/// of once per row, and nothing is stored until the sums are done.
public enum GramMatrix {
    /// Overwrites the upper triangle of the `factorCount × factorCount` matrix at `gram` (row
    /// stride `stride`), in whole 16-column chunks from each row's diagonal chunk on, with
    /// `Σ_r v_r v_rᵀ` over the `rowCount` vectors at `vectors` (`stride` apart); every other
    /// entry of the first `factorCount` rows is set to zero.
    public static func accumulateUpper(
        _ vectors: UnsafePointer<Float>, rowCount: Int, factorCount: Int, stride: Int,
        into gram: UnsafeMutablePointer<Float>
    ) {
        typealias Lane = VectorKernels.Lane
        gram.update(repeating: 0, count: factorCount * stride)
        var chunk = 0
        while chunk < factorCount {
            let rowLimit = min(chunk + 16, factorCount)
            var outputRow = 0
            while outputRow + 4 <= rowLimit {
                var first = Lane(), second = Lane(), third = Lane(), fourth = Lane()
                var pointer = vectors
                for _ in 0..<rowCount {
                    let values = VectorKernels.load(pointer + chunk)
                    first += Lane(repeating: pointer[outputRow]) * values
                    second += Lane(repeating: pointer[outputRow + 1]) * values
                    third += Lane(repeating: pointer[outputRow + 2]) * values
                    fourth += Lane(repeating: pointer[outputRow + 3]) * values
                    pointer += stride
                }
                VectorKernels.store(first, to: gram + outputRow * stride + chunk)
                VectorKernels.store(second, to: gram + (outputRow + 1) * stride + chunk)
                VectorKernels.store(third, to: gram + (outputRow + 2) * stride + chunk)
                VectorKernels.store(fourth, to: gram + (outputRow + 3) * stride + chunk)
                outputRow += 4
            }
            while outputRow < rowLimit {
                var accumulator = Lane()
                var pointer = vectors
                for _ in 0..<rowCount {
                    accumulator += Lane(repeating: pointer[outputRow]) * VectorKernels.load(pointer + chunk)
                    pointer += stride
                }
                VectorKernels.store(accumulator, to: gram + outputRow * stride + chunk)
                outputRow += 1
            }
            chunk &+= 16
        }
    }
}
