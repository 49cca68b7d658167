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
    public init(globalMean: Float, factorCount: Int, stride: Int, itemBiases: UnsafeBufferPointer<Float>,
                itemFactors: UnsafeBufferPointer<Float>, itemImplicitFactors: UnsafeBufferPointer<Float>?,
                itemRatingCounts: UnsafeBufferPointer<Int32>, foldIn: FoldInParameters,
                foldInFactorPenalties: UnsafeBufferPointer<Float>? = nil) {
        precondition(itemFactors.count == itemBiases.count * stride && itemRatingCounts.count == itemBiases.count,
                     "item buffers must agree in size")
        precondition(itemImplicitFactors == nil || itemImplicitFactors!.count == itemFactors.count,
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
