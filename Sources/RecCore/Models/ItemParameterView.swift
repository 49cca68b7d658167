/// A read-only view of the item side of a trained model: everything needed to fold in a new
/// person, score every movie and rank them, over owned arrays or a memory-mapped model file.
///
/// The view does not own its memory; it is valid only while its owner is alive.
public struct ItemParameterView: @unchecked Sendable {
    /// The mean training rating.
    public var globalMean: Float
    /// The number of real factors per item.
    public var factorCount: Int
    /// The padded row length of `itemFactors` and `itemImplicitFactors` (a multiple of 16).
    public var stride: Int
    /// One bias per item.
    public var itemBiases: UnsafeBufferPointer<Float>
    /// `itemCount × stride` factors.
    public var itemFactors: UnsafeBufferPointer<Float>
    /// `itemCount × stride` implicit-feedback factors (SVD++), or nil.
    public var itemImplicitFactors: UnsafeBufferPointer<Float>?
    /// The number of training ratings of each item; items with none are never recommended.
    public var itemRatingCounts: UnsafeBufferPointer<Int32>
    /// How strongly a folded-in person is regularised.
    public var foldIn: FoldInParameters
    /// A Bayesian model's per-factor penalties (`FoldInPrior`), `factorCount` values, which
    /// replace `foldIn`'s per-rating factor penalty when present.
    public var foldInFactorPenalties: UnsafeBufferPointer<Float>?

    /// Creates a view; the caller guarantees the buffers' sizes agree.
    public init(
        globalMean: Float, factorCount: Int, stride: Int, itemBiases: UnsafeBufferPointer<Float>,
        itemFactors: UnsafeBufferPointer<Float>, itemImplicitFactors: UnsafeBufferPointer<Float>?,
        itemRatingCounts: UnsafeBufferPointer<Int32>, foldIn: FoldInParameters,
        foldInFactorPenalties: UnsafeBufferPointer<Float>? = nil
    ) {
        precondition(
            itemFactors.count == itemBiases.count * stride && itemRatingCounts.count == itemBiases.count,
            "item buffers must agree in size")
        precondition(
            itemImplicitFactors == nil || itemImplicitFactors!.count == itemFactors.count,
            "implicit factors must match the item factors")
        precondition(foldInFactorPenalties == nil || foldInFactorPenalties!.count == factorCount, "one fold-in penalty per factor")
        self.globalMean = globalMean
        self.factorCount = factorCount
        self.stride = stride
        self.itemBiases = itemBiases
        self.itemFactors = itemFactors
        self.itemImplicitFactors = itemImplicitFactors
        self.itemRatingCounts = itemRatingCounts
        self.foldIn = foldIn
        self.foldInFactorPenalties = foldInFactorPenalties
    }

    /// The number of items.
    public var itemCount: Int { itemBiases.count }
}

extension FactorParameters {
    /// Calls `body` with an item view over these parameters, folding in with `foldIn` and, for
    /// a Bayesian model, its learned per-factor penalties; the view is valid only inside `body`.
    public func withItemParameterView<Result>(
        itemRatingCounts: [Int32], foldIn: FoldInParameters,
        _ body: (ItemParameterView) -> Result
    ) -> Result {
        let penalties = factorCount > 0 ? foldInPrior?.factorPenalties : nil
        return withOptionalBuffer(penalties) { penalties in
            withOptionalBuffer(itemImplicitFactors?.values) { implicitFactors in
                itemBiases.withUnsafeBufferPointer { biases in
                    itemFactors.values.withUnsafeBufferPointer { factors in
                        itemRatingCounts.withUnsafeBufferPointer { counts in
                            body(
                                ItemParameterView(
                                    globalMean: globalMean, factorCount: factorCount, stride: itemFactors.stride,
                                    itemBiases: biases, itemFactors: factors, itemImplicitFactors: implicitFactors,
                                    itemRatingCounts: counts, foldIn: foldIn, foldInFactorPenalties: penalties))
                        }
                    }
                }
            }
        }
    }
}

/// Calls `body` with a buffer over `array`, or with nil when there is no array.
private func withOptionalBuffer<Element, Result>(_ array: [Element]?, _ body: (UnsafeBufferPointer<Element>?) -> Result) -> Result {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0) }
}
