/// One recommended or similar item with its score.
public struct ScoredItem: Sendable, Equatable {
    /// The dense item index.
    public var item: Int
    /// The predicted rating (unclamped) or the similarity.
    public var score: Float

    /// Creates a scored item.
    public init(item: Int, score: Float) {
        self.item = item
        self.score = score
    }
}

/// Scores every movie for a folded-in person and picks the best ones: the homework's
/// `predict([[movies], [ratings]], M)`.
public enum Recommender {
    /// The predicted rating of every item for `person`, in one SIMD pass over the item factors.
    public static func scores(for person: FoldedInPerson, model: ItemParameterView) -> [Float] {
        let stride = model.stride
        let base = model.globalMean + person.bias
        return [Float](unsafeUninitializedCapacity: model.itemCount) { output, initialized in
            person.factors.withUnsafeBufferPointer { factors in
                for item in 0..<model.itemCount {
                    var score = base + model.itemBiases[item]
                    if stride > 0 {
                        score += VectorKernels.dot(model.itemFactors.baseAddress! + item * stride, factors.baseAddress!, length: stride)
                    }
                    output[item] = score
                }
            }
            initialized = model.itemCount
        }
    }

    /// The `count` best items for `person`, best first, leaving out `excluded` items and items
    /// without training ratings. Ties go to the lower item index, so results are deterministic.
    public static func recommend(for person: FoldedInPerson, model: ItemParameterView, excluding excluded: Set<Int>,
                                 count: Int) -> [ScoredItem] {
        let allScores = scores(for: person, model: model)
        return TopItems.select(count: count, from: allScores.count) { item in
            guard model.itemRatingCounts[item] > 0, !excluded.contains(item) else { return nil }
            return allScores[item]
        }
    }
}

/// Selects the highest-scoring items with a bounded min-heap, in `O(n log k)`.
public enum TopItems {
    /// The `count` items of `0..<itemCount` with the highest scores, best first; `score`
    /// returns nil for items that must not be chosen. Ties go to the lower item index.
    public static func select(count: Int, from itemCount: Int, score: (Int) -> Float?) -> [ScoredItem] {
        guard count > 0 else { return [] }
        var heap: [ScoredItem] = []
        heap.reserveCapacity(count + 1)
        for item in 0..<itemCount {
            guard let value = score(item), !value.isNaN else { continue }
            let candidate = ScoredItem(item: item, score: value)
            if heap.count < count {
                heap.append(candidate)
                siftUp(&heap, from: heap.count - 1)
            } else if isBetter(candidate, than: heap[0]) {
                heap[0] = candidate
                siftDown(&heap, from: 0)
            }
        }
        return heap.sorted { isBetter($0, than: $1) }
    }

    /// Whether `a` ranks before `b`: higher score, then lower item index.
    @inline(__always)
    static func isBetter(_ a: ScoredItem, than b: ScoredItem) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }

    // The heap keeps the worst kept item at the root.
    private static func siftUp(_ heap: inout [ScoredItem], from index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard isBetter(heap[parent], than: heap[child]) else { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func siftDown(_ heap: inout [ScoredItem], from index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < heap.count, isBetter(heap[worst], than: heap[left]) { worst = left }
            if right < heap.count, isBetter(heap[worst], than: heap[right]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
