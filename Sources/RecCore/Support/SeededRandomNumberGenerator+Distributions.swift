import Glibc

extension SeededRandomNumberGenerator {
    /// Two independent standard normal samples (Marsaglia's polar method), for samplers that
    /// draw many normals: one logarithm and one square root per pair, no trigonometry.
    @inline(__always)
    public mutating func nextStandardNormalPair() -> (Float, Float) {
        while true {
            let u = Float(Int64(bitPattern: next()) >> 40) * (1.0 / Float(1 << 23))
            let v = Float(Int64(bitPattern: next()) >> 40) * (1.0 / Float(1 << 23))
            let radiusSquared = u * u + v * v
            guard radiusSquared < 1, radiusSquared > 0 else { continue }
            let scale = (-2 * logf(radiusSquared) / radiusSquared).squareRoot()
            return (u * scale, v * scale)
        }
    }

    /// Overwrites `count` floats at `destination` with independent standard normal samples.
    @inline(__always)
    public mutating func fillStandardNormal(_ destination: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 1 < count {
            let (first, second) = nextStandardNormalPair()
            destination[index] = first
            destination[index + 1] = second
            index += 2
        }
        if index < count { destination[index] = nextStandardNormalPair().0 }
    }

    /// A sample of the Gamma distribution with `shape` k > 0 and `rate` θ > 0 (mean k/θ), by
    /// Marsaglia and Tsang's squeeze method; shapes below 1 are boosted by `U^(1/k)`.
    public mutating func nextGamma(shape: Double, rate: Double) -> Double {
        precondition(shape > 0 && rate > 0, "the Gamma distribution needs a positive shape and rate")
        if shape < 1 {
            let uniform = max(Double(next() >> 11) * (1.0 / Double(1 << 53)), Double.leastNonzeroMagnitude)
            return nextGamma(shape: shape + 1, rate: rate) * pow(uniform, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = nextGaussian()
            let v = 1 + c * x
            guard v > 0 else { continue }
            let cube = v * v * v
            let uniform = Double(next() >> 11) * (1.0 / Double(1 << 53))
            if uniform < 1 - 0.0331 * x * x * x * x { return d * cube / rate }
            if log(max(uniform, Double.leastNonzeroMagnitude)) < 0.5 * x * x + d * (1 - cube + log(cube)) { return d * cube / rate }
        }
    }
}
