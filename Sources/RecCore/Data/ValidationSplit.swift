import RecSupport

/// A random hold-out of rows carved from the training file with a fixed seed.
///
/// Hyper-parameters, epoch counts and blend weights are chosen on the held-out rows; the
/// evaluation file is never opened during training. The same seed and fraction always give
/// the same split.
public struct ValidationSplit: Sendable {
    /// The row numbers used for fitting, ascending.
    public let trainingRows: [Int]
    /// The row numbers held out for validation, ascending.
    public let validationRows: [Int]

    /// Splits `rowCount` rows, holding out `fraction` of them (rounded) chosen uniformly at random.
    public init(rowCount: Int, fraction: Double, seed: UInt64) {
        precondition(fraction >= 0 && fraction < 1, "the validation fraction must be in [0, 1)")
        var generator = SeededRandomNumberGenerator.stream(0x5E1EC7, of: seed)
        let heldOutCount = Int((Double(rowCount) * fraction).rounded())
        var order = Array(0..<rowCount)
        // A partial Fisher–Yates shuffle: the first `heldOutCount` positions become the hold-out.
        for position in 0..<heldOutCount {
            let other = position + generator.nextIndex(below: rowCount - position)
            order.swapAt(position, other)
        }
        validationRows = order[..<heldOutCount].sorted()
        trainingRows = order[heldOutCount...].sorted()
    }
}
