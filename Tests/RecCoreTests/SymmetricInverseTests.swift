import Testing
@testable import RecCore

struct SymmetricInverseTests {
    /// `XᵀX + shift·I` for a random 0/1 matrix `X`: a co-occurrence matrix like the ranking's.
    static func cooccurrenceLike(size: Int, rows: Int = 200, shift: Float = 5, seed: UInt64 = 3) -> SquareMatrix {
        var generator = SeededRandomNumberGenerator(seed: seed)
        var matrix = SquareMatrix(size: size)
        for _ in 0..<rows {
            let rated = (0..<size).filter { _ in generator.nextUnitFloat() < 0.15 }
            for first in rated { for second in rated { matrix[first, second] += 1 } }
        }
        for index in 0..<size { matrix[index, index] += shift }
        return matrix
    }

    /// The largest entry of `|A P − I|`, in double precision.
    static func residual(_ matrix: SquareMatrix, _ inverse: SquareMatrix) -> Double {
        var worst = 0.0
        for row in 0..<matrix.size {
            for column in 0..<matrix.size {
                var sum = 0.0
                for index in 0..<matrix.size { sum += Double(matrix[row, index]) * Double(inverse[index, column]) }
                worst = max(worst, abs(sum - (row == column ? 1 : 0)))
            }
        }
        return worst
    }

    /// Sizes below, at and across the 16-column chunks, the 128-row panels and the 256-step blocks.
    @Test(arguments: [1, 2, 15, 16, 17, 127, 128, 129, 300])
    func theInverseTimesTheMatrixIsTheIdentity(size: Int) {
        let matrix = Self.cooccurrenceLike(size: size)
        var inverse = matrix
        #expect(SymmetricInverse.invert(&inverse, threadCount: 2))
        #expect(Self.residual(matrix, inverse) < 1e-4)
        for row in 0..<size {
            for column in size..<inverse.stride { #expect(inverse.values[row * inverse.stride + column] == 0, "padding stays zero") }
            for column in 0..<size { #expect(inverse[row, column] == inverse[column, row], "the inverse is exactly symmetric") }
        }
    }

    @Test func theResultDoesNotDependOnTheThreadCount() {
        let matrix = Self.cooccurrenceLike(size: 290, seed: 8)
        var single = matrix, triple = matrix
        #expect(SymmetricInverse.invert(&single, threadCount: 1))
        #expect(SymmetricInverse.invert(&triple, threadCount: 3))
        #expect(single == triple)
    }

    @Test func anIndefiniteMatrixIsRefused() {
        var matrix = SquareMatrix(size: 3)
        matrix[0, 0] = 1; matrix[1, 1] = 1; matrix[2, 2] = 1
        matrix[0, 1] = 2; matrix[1, 0] = 2
        #expect(!SymmetricInverse.invert(&matrix, threadCount: 2))
    }
}
