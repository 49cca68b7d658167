/// The inner kernel of the dense matrix routines: a tile of up to 4 rows × 16 columns of `C`
/// updated by a sum of outer products, `C[r][c] += sign × Σ_k a[k][r] × b[k][c]`.
///
/// Both operands are read "k-major": step `k` of `a` is 1 to 4 consecutive floats at
/// `a + k × aStride`, step `k` of `b` is 16 consecutive floats at `b + k × bStride`. Rows of
/// a row-major matrix and rows of its transpose's slices both have that shape, so the
/// Cholesky update, the triangular inverse and the final product all reduce to this one loop.
/// The 4 × 16 sums stay in four SIMD registers for the whole depth and are fused
/// multiply-adds, so `C` is read and written once per call.
enum OuterProductTile {
    /// The columns one call updates.
    static let width = 16

    /// Updates `rows` (1 to 4) rows of 16 floats at `c` (rows `cStride` apart) by `sign` times
    /// the sum over `depth` steps of `a[k][r] × b[k][…]`.
    @inline(__always)
    static func accumulate(
        into c: UnsafeMutablePointer<Float>, cStride: Int, rows: Int,
        a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, bStride: Int,
        depth: Int, sign: Float
    ) {
        typealias Lane = VectorKernels.Lane
        var first = Lane(), second = Lane(), third = Lane(), fourth = Lane()
        var aStep = a, bStep = b
        if rows == 4 {
            for _ in 0..<depth {
                let values = VectorKernels.load(bStep)
                first.addProduct(Lane(repeating: aStep[0]), values)
                second.addProduct(Lane(repeating: aStep[1]), values)
                third.addProduct(Lane(repeating: aStep[2]), values)
                fourth.addProduct(Lane(repeating: aStep[3]), values)
                aStep += aStride
                bStep += bStride
            }
        } else {
            for _ in 0..<depth {
                let values = VectorKernels.load(bStep)
                first.addProduct(Lane(repeating: aStep[0]), values)
                if rows > 1 { second.addProduct(Lane(repeating: aStep[1]), values) }
                if rows > 2 { third.addProduct(Lane(repeating: aStep[2]), values) }
                aStep += aStride
                bStep += bStride
            }
        }
        let scale = Lane(repeating: sign)
        VectorKernels.store(VectorKernels.load(c).addingProduct(scale, first), to: c)
        if rows > 1 { VectorKernels.store(VectorKernels.load(c + cStride).addingProduct(scale, second), to: c + cStride) }
        if rows > 2 { VectorKernels.store(VectorKernels.load(c + 2 * cStride).addingProduct(scale, third), to: c + 2 * cStride) }
        if rows > 3 { VectorKernels.store(VectorKernels.load(c + 3 * cStride).addingProduct(scale, fourth), to: c + 3 * cStride) }
    }
}
