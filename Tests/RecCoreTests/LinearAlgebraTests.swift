import Testing
@testable import RecCore

struct LinearAlgebraTests {
    @Test func choleskySolvesASymmetricPositiveDefiniteSystem() {
        var matrix: [Double] = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]
        let expected: [Double] = [1, -2, 0.5]
        var rightHandSide = [Double](repeating: 0, count: 3)
        for row in 0..<3 { for column in 0..<3 { rightHandSide[row] += matrix[row * 3 + column] * expected[column] } }
        #expect(CholeskySolver.solve(&matrix, &rightHandSide, size: 3))
        for index in 0..<3 { #expect(abs(rightHandSide[index] - expected[index]) < 1e-12) }
    }

    @Test func choleskyRefusesAnIndefiniteMatrix() {
        var matrix: [Double] = [1, 2, 2, 1]
        var rightHandSide: [Double] = [1, 1]
        #expect(!CholeskySolver.solve(&matrix, &rightHandSide, size: 2))
    }

    @Test func simdKernelsMatchScalarArithmetic() {
        var generator = SeededRandomNumberGenerator(seed: 9)
        let length = 48
        let a = (0..<length).map { _ in Float(generator.nextGaussian()) }
        let b = (0..<length).map { _ in Float(generator.nextGaussian()) }
        let c = (0..<length).map { _ in Float(generator.nextGaussian()) }
        let dot = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in VectorKernels.dot(x.baseAddress!, y.baseAddress!, length: length) }
        }
        #expect(abs(dot - zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-4)
        let dotOfSum = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                c.withUnsafeBufferPointer { z in VectorKernels.dotOfSum(x.baseAddress!, y.baseAddress!, z.baseAddress!, length: length) }
            }
        }
        #expect(abs(dotOfSum - (0..<length).reduce(0) { $0 + (a[$1] + b[$1]) * c[$1] }) < 1e-4)
        var y = b
        y.withUnsafeMutableBufferPointer { target in
            a.withUnsafeBufferPointer { VectorKernels.addScaled($0.baseAddress!, scale: 0.5, to: target.baseAddress!, length: length) }
        }
        #expect((0..<length).allSatisfy { abs(y[$0] - (b[$0] + 0.5 * a[$0])) < 1e-6 })
    }

    @Test func factorMatrixPadsRowsAndRoundTripsUnpaddedValues() {
        let values: [Float] = (0..<15).map(Float.init)
        let matrix = FactorMatrix(rowCount: 3, factorCount: 5, unpadded: values)
        #expect(matrix.stride == 16)
        #expect(matrix.values.count == 48)
        #expect(Array(matrix.row(1)) == [5, 6, 7, 8, 9])
        #expect(matrix.values[21] == 0)
        #expect(matrix.unpadded == values)
    }
}
