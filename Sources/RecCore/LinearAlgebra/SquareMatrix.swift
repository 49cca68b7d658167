/// A dense `size × size` single-precision matrix in row-major order, each row padded with
/// zeros to a multiple of 16 floats so every row starts 64-byte aligned and SIMD loops over a
/// row need no tail.
///
/// The ranking model's item-by-item matrices (co-occurrence counts, their inverse and the
/// autoencoder weights) live in this form while they are trained; the padding columns stay
/// zero through every operation on them.
public struct SquareMatrix: Sendable, Equatable {
    /// The number of rows and of real columns.
    public let size: Int
    /// The floats from the start of one row to the next: `size` rounded up to a multiple of 16.
    public let stride: Int
    /// `size × stride` values.
    public var values: [Float]

    /// A zero matrix.
    public init(size: Int) {
        self.size = size
        stride = FactorMatrix.paddedStride(for: size)
        values = [Float](repeating: 0, count: size * stride)
    }

    /// The entry in `row` and `column`.
    @inline(__always)
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * stride + column] }
        set { values[row * stride + column] = newValue }
    }

    /// Adds `diagonal[i]` to entry `(i, i)` for every `i`.
    public mutating func addToDiagonal(_ diagonal: [Float]) {
        precondition(diagonal.count == size, "one value per row")
        for index in 0..<size { values[index * stride + index] += diagonal[index] }
    }

    /// The diagonal entries.
    public var diagonal: [Float] {
        (0..<size).map { values[$0 * stride + $0] }
    }
}
