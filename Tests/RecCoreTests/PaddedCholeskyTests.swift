import Testing
@testable import RecCore

struct PaddedCholeskyTests {
    /// A random symmetric positive-definite `size × size` matrix in padded rows, and its dense copy.
    static func randomSystem(size: Int, seed: UInt64) -> (padded: [Float], dense: [Double], stride: Int) {
        var generator = SeededRandomNumberGenerator(seed: seed)
        let stride = FactorMatrix.paddedStride(for: size)
        let vectors = (0..<(3 * size)).map { _ in (0..<size).map { _ in generator.nextGaussian() } }
        var dense = [Double](repeating: 0, count: size * size)
        for vector in vectors {
            for row in 0..<size { for column in 0..<size { dense[row * size + column] += vector[row] * vector[column] } }
        }
        for index in 0..<size { dense[index * size + index] += 0.5 }
        var padded = [Float](repeating: 0, count: stride * stride)
        for row in 0..<size { for column in 0..<size { padded[row * stride + column] = Float(dense[row * size + column]) } }
        return (padded, dense, stride)
    }

    @Test(arguments: [1, 5, 16, 17, 40])
    func factorReproducesTheMatrixAndSolvesMatchDoublePrecision(size: Int) {
        let (padded, dense, stride) = Self.randomSystem(size: size, seed: UInt64(size))
        var factor = padded
        #expect(factor.withUnsafeMutableBufferPointer { PaddedCholesky.factor($0.baseAddress!, size: size, stride: stride) })
        // Uᵀ U = A on the upper triangle.
        for row in 0..<size {
            for column in row..<size {
                var value = 0.0
                for inner in 0...row { value += Double(factor[inner * stride + row]) * Double(factor[inner * stride + column]) }
                #expect(abs(value - dense[row * size + column]) < 1e-3 * (1 + abs(dense[row * size + column])))
            }
        }
        // Uᵀ U x = b through the two triangular solves, against the double-precision solver.
        var generator = SeededRandomNumberGenerator(seed: 99)
        let rightHandSide = (0..<size).map { _ in generator.nextGaussian() }
        var vector = [Float](repeating: 0, count: stride)
        for index in 0..<size { vector[index] = Float(rightHandSide[index]) }
        factor.withUnsafeBufferPointer { factor in
            vector.withUnsafeMutableBufferPointer { vector in
                PaddedCholesky.solveTransposed(factor.baseAddress!, vector.baseAddress!, size: size, stride: stride)
                PaddedCholesky.solve(factor.baseAddress!, vector.baseAddress!, size: size, stride: stride)
            }
        }
        var reference = dense, solution = rightHandSide
        #expect(CholeskySolver.solve(&reference, &solution, size: size))
        for index in 0..<size { #expect(abs(Double(vector[index]) - solution[index]) < 1e-3 * (1 + abs(solution[index]))) }
        #expect(vector[size..<stride].allSatisfy { $0 == 0 }, "padding stays zero")
    }

    @Test func factorRefusesAnIndefiniteMatrix() {
        var matrix: [Float] = [Float](repeating: 0, count: 16 * 16)
        matrix[0] = 1
        matrix[1] = 2
        matrix[16 + 1] = 1
        #expect(!matrix.withUnsafeMutableBufferPointer { PaddedCholesky.factor($0.baseAddress!, size: 2, stride: 16) })
    }

    @Test(arguments: [3, 16, 21, 64])
    func gramMatrixMatchesTheSumOfOuterProducts(factorCount: Int) {
        var generator = SeededRandomNumberGenerator(seed: 4)
        let stride = FactorMatrix.paddedStride(for: factorCount), rowCount = 37
        let vectors = FactorMatrix(rowCount: rowCount, factorCount: factorCount, standardDeviation: 1, generator: &generator)
        var gram = [Float](repeating: .nan, count: stride * stride)
        vectors.values.withUnsafeBufferPointer { source in
            gram.withUnsafeMutableBufferPointer {
                GramMatrix.accumulateUpper(
                    source.baseAddress!, rowCount: rowCount, factorCount: factorCount, stride: stride, into: $0.baseAddress!)
            }
        }
        for row in 0..<factorCount {
            for column in row..<factorCount {
                let expected = (0..<rowCount).reduce(Float(0)) {
                    $0 + vectors.values[$1 * stride + row] * vectors.values[$1 * stride + column]
                }
                #expect(abs(gram[row * stride + column] - expected) < 1e-3)
            }
        }
    }
}
