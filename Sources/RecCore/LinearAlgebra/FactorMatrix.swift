import RecSupport

/// A dense row-major matrix of latent factors whose rows are padded to a multiple of 16
/// floats, so every row is 64-byte aligned in the model file and SIMD loops need no tail.
///
/// Padding columns are always zero, which keeps dot products over the padded width exact.
public struct FactorMatrix: Sendable, Equatable {
    /// The SIMD width rows are padded to.
    public static let rowAlignment = 16

    /// The number of rows (users or items).
    public let rowCount: Int
    /// The number of real factors per row.
    public let factorCount: Int
    /// The padded row length: `factorCount` rounded up to a multiple of 16.
    public let stride: Int
    /// `rowCount × stride` values.
    public var values: [Float]

    /// The padded width for `factorCount` factors.
    public static func paddedStride(for factorCount: Int) -> Int {
        (factorCount + rowAlignment - 1) / rowAlignment * rowAlignment
    }

    /// A zero matrix.
    public init(rowCount: Int, factorCount: Int) {
        self.rowCount = rowCount
        self.factorCount = factorCount
        stride = Self.paddedStride(for: factorCount)
        values = [Float](repeating: 0, count: rowCount * stride)
    }

    /// A matrix with entries drawn from a normal distribution with `standardDeviation`.
    public init(rowCount: Int, factorCount: Int, standardDeviation: Float, generator: inout SeededRandomNumberGenerator) {
        self.init(rowCount: rowCount, factorCount: factorCount)
        for row in 0..<rowCount {
            for factor in 0..<factorCount {
                values[row * stride + factor] = Float(generator.nextGaussian()) * standardDeviation
            }
        }
    }

    /// A matrix from unpadded row-major values (`rowCount × factorCount`).
    public init(rowCount: Int, factorCount: Int, unpadded: [Float]) {
        precondition(unpadded.count == rowCount * factorCount, "expected rowCount × factorCount values")
        self.init(rowCount: rowCount, factorCount: factorCount)
        for row in 0..<rowCount {
            for factor in 0..<factorCount {
                values[row * stride + factor] = unpadded[row * factorCount + factor]
            }
        }
    }

    /// The values without padding, row-major `rowCount × factorCount`: the form `ModelArtifact` stores.
    public var unpadded: [Float] {
        var result = [Float](repeating: 0, count: rowCount * factorCount)
        for row in 0..<rowCount {
            for factor in 0..<factorCount {
                result[row * factorCount + factor] = values[row * stride + factor]
            }
        }
        return result
    }

    /// Row `row` without padding.
    public func row(_ row: Int) -> ArraySlice<Float> {
        values[(row * stride)..<(row * stride + factorCount)]
    }
}
