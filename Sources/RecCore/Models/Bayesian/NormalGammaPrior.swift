import RecSupport

/// The hierarchical prior of one group of parameters (user biases, the k-th user factor, the
/// implicit item vectors, ...): each value is `Normal(mean, 1 / precision)`, and the mean and
/// precision have the conjugate Normal–Gamma hyper-prior of Bayesian factorisation machines
/// (Freudenthaler, Schmidt-Thieme and Rendle, 2011; libFM's MCMC):
/// `precision ~ Gamma((α₀ + n + 1) / 2, (γ₀ + β₀(mean − μ₀)² + Σ(w − mean)²) / 2)` and
/// `mean ~ Normal((Σw + β₀μ₀) / (n + β₀), 1 / ((n + β₀) × precision))`.
///
/// The sampler learns every regularisation strength this way instead of taking it from a grid.
/// One prior covers `laneCount` independent groups at once (one per factor), laid out like a
/// padded factor row; lanes past the real factors keep mean 0 and precision 1. The lanes live
/// in pinned memory that the row samplers read by pointer, and `resample` updates them in place.
final class NormalGammaPrior: @unchecked Sendable {
    /// The hyper-prior's shape parameter α₀ (also γ₀ and β₀); libFM's default of 1 is weak.
    static let hyperShape: Double = 1
    /// The hyper-prior's mean μ₀.
    static let hyperMean: Double = 0

    /// The current mean of each lane.
    let means: PinnedBuffer<Float>
    /// The current precision of each lane.
    let precisions: PinnedBuffer<Float>

    /// A prior with `laneCount` lanes of mean 0 and precision `precision`.
    init(laneCount: Int, precision: Float = 1) {
        means = PinnedBuffer(repeating: 0, count: laneCount)
        precisions = PinnedBuffer(repeating: precision, count: laneCount)
    }

    /// Draws new means and precisions for the first `activeLanes` lanes from their conditional
    /// given the values: `values(row)` points at row `row`'s lanes, for every row in `rows`.
    func resample(
        activeLanes: Int, rows: [Int], values: (Int) -> UnsafePointer<Float>,
        generator: inout SeededRandomNumberGenerator
    ) {
        guard !rows.isEmpty else { return }
        let count = Double(rows.count)
        let shape = Self.hyperShape
        var sums = [Double](repeating: 0, count: activeLanes)
        for row in rows {
            let pointer = values(row)
            for lane in 0..<activeLanes { sums[lane] += Double(pointer[lane]) }
        }
        var squares = [Double](repeating: 0, count: activeLanes)
        for row in rows {
            let pointer = values(row)
            for lane in 0..<activeLanes {
                let deviation = Double(pointer[lane]) - Double(means[lane])
                squares[lane] += deviation * deviation
            }
        }
        for lane in 0..<activeLanes {
            let mean = Double(means[lane])
            let rate = (shape + shape * (mean - Self.hyperMean) * (mean - Self.hyperMean) + squares[lane]) / 2
            let precision = generator.nextGamma(shape: (shape + count + 1) / 2, rate: rate)
            let meanOfMean = (sums[lane] + shape * Self.hyperMean) / (count + shape)
            let deviation = (1 / ((count + shape) * precision)).squareRoot()
            precisions[lane] = Float(precision)
            means[lane] = Float(meanOfMean + deviation * generator.nextGaussian())
        }
    }
}
