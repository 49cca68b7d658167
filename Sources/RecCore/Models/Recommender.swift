/// One recommended or similar item with its score.
public struct ScoredItem: Sendable, Equatable {
    /// The dense item index.
    public var item: Int
    /// The predicted rating (unclamped) or the similarity.
    public var score: Float

    /// Creates a scored item.
    @inlinable
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

    /// The unclamped rating estimate of `item` for `person`.
    @inline(__always)
    public static func estimate(for person: FoldedInPerson, item: Int, model: ItemParameterView) -> Float {
        var score = model.globalMean + person.bias + model.itemBiases[item]
        if model.stride > 0 {
            score += person.factors.withUnsafeBufferPointer { factors in
                VectorKernels.dot(model.itemFactors.baseAddress! + item * model.stride, factors.baseAddress!, length: model.stride)
            }
        }
        return score
    }

    /// The `count` best items for `person`, best first, leaving out `excluded` items and items
    /// without training ratings. Ties go to the lower item index, so results are deterministic.
    ///
    /// The reference implementation: it scores every item exactly. The serving path is
    /// `recommend(for:model:quantized:excluding:count:)`, which returns the same list; only the
    /// tests that pin that equality call this one, so it is `package`, not public API.
    package static func referenceRecommendation(
        for person: FoldedInPerson, model: ItemParameterView, excluding excluded: Set<Int>,
        count: Int
    ) -> [ScoredItem] {
        let allScores = scores(for: person, model: model)
        return TopItems.select(count: count, from: allScores.count) { item in
            guard model.itemRatingCounts[item] > 0, !excluded.contains(item) else { return nil }
            return allScores[item]
        }
    }

    /// The same list as `referenceRecommendation(for:model:excluding:count:)`, bit for bit, computed in two
    /// passes when `quantized` is given (see `QuantizedItemFactors`):
    ///
    /// 1. Every item gets an approximate score from the 16-bit rows, with an error bound `e`
    ///    that holds for all items. Let `t` be the `count`-th largest approximate score.
    /// 2. At least `count` items score at least `t − e` exactly, so no item whose approximate
    ///    score is below `t − 2e` can make the list. Only the rest, usually a few more than
    ///    `count`, are scored exactly and ranked.
    ///
    /// Without `quantized` (bias-only models) or for a non-finite person it scores every item
    /// exactly. `excluded` lists item indices never to return, usually the person's own movies.
    public static func recommend(
        for person: FoldedInPerson, model: ItemParameterView, quantized: QuantizedItemFactors?,
        excluding excluded: [Int], count: Int
    ) -> [ScoredItem] {
        guard count > 0 else { return [] }
        let itemCount = model.itemCount
        let stride = model.stride
        let base = model.globalMean + person.bias
        guard let quantized, quantized.itemCount == itemCount, quantized.stride == stride, person.factors.count >= stride else {
            return exactRecommendation(for: person, model: model, excluding: excluded, count: count)
        }
        return person.factors.withUnsafeBufferPointer { factors in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: itemCount) { approximate in
                let scores = approximate.baseAddress!
                guard let bound = quantized.approximateScores(base: base, vector: factors.baseAddress!, into: scores) else {
                    return exactRecommendation(for: person, model: model, excluding: excluded, count: count)
                }
                for item in excluded where item >= 0 && item < itemCount { scores[item] = -.infinity }
                var cutoffSelection = KthLargestScore(capacity: count)
                forEachScore(in: scores, count: itemCount, above: { cutoffSelection.value }) { _, score in
                    cutoffSelection.offer(score)
                }
                let cutoff = cutoffSelection.value - 2 * bound
                var best = BoundedTopItems(capacity: count)
                let itemFactors = model.itemFactors.baseAddress!
                forEachScore(in: scores, count: itemCount, above: { cutoff.nextDown }) { item, approximateScore in
                    guard approximateScore > -.infinity else { return }
                    var score = base + model.itemBiases[item]
                    score += VectorKernels.dot(itemFactors + item * stride, factors.baseAddress!, length: stride)
                    best.offer(ScoredItem(item: item, score: score))
                }
                return best.bestFirst()
            }
        }
    }

    /// Calls `body` with every item whose score is above `floor()`, in item order, comparing
    /// 16 scores at once so the common case, a run of scores that cannot matter, costs one
    /// vector comparison. `floor` is read again after each call, since `body` may raise it.
    @inline(__always)
    private static func forEachScore(
        in scores: UnsafeMutablePointer<Float>, count: Int, above floor: () -> Float,
        _ body: (Int, Float) -> Void
    ) {
        var item = 0
        while item + 16 <= count {
            let chunk = VectorKernels.load(scores + item)
            if any(chunk .> VectorKernels.Lane(repeating: floor())) {
                for lane in 0..<16 where chunk[lane] > floor() { body(item + lane, chunk[lane]) }
            }
            item += 16
        }
        while item < count {
            if scores[item] > floor() { body(item, scores[item]) }
            item += 1
        }
    }

    /// Scores every item exactly, without the full score array or a hash set.
    private static func exactRecommendation(
        for person: FoldedInPerson, model: ItemParameterView, excluding excluded: [Int],
        count: Int
    ) -> [ScoredItem] {
        let stride = model.stride
        let base = model.globalMean + person.bias
        var best = BoundedTopItems(capacity: count)
        person.factors.withUnsafeBufferPointer { factors in
            for item in 0..<model.itemCount where model.itemRatingCounts[item] > 0 && !excluded.contains(item) {
                var score = base + model.itemBiases[item]
                if stride > 0 {
                    score += VectorKernels.dot(model.itemFactors.baseAddress! + item * stride, factors.baseAddress!, length: stride)
                }
                best.offer(ScoredItem(item: item, score: score))
            }
        }
        return best.bestFirst()
    }
}

/// Selects the highest-scoring items with a bounded min-heap, in `O(n log k)`.
public enum TopItems {
    /// The `count` items of `0..<itemCount` with the highest scores, best first; `score`
    /// returns nil for items that must not be chosen. Ties go to the lower item index.
    @inlinable
    public static func select(count: Int, from itemCount: Int, score: (Int) -> Float?) -> [ScoredItem] {
        var best = BoundedTopItems(capacity: count)
        for item in 0..<itemCount {
            guard let value = score(item) else { continue }
            best.offer(ScoredItem(item: item, score: value))
        }
        return best.bestFirst()
    }

    /// Whether `a` ranks before `b`: higher score, then lower item index.
    @inlinable @inline(__always)
    static func isBetter(_ a: ScoredItem, than b: ScoredItem) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }
}

/// The best `capacity` of the items offered so far, kept in a min-heap whose root is the worst
/// kept item, so most offers cost one comparison. NaN scores are never kept.
public struct BoundedTopItems: Sendable {
    /// How many items are kept at most.
    public let capacity: Int
    @usableFromInline var heap: [ScoredItem] = []

    /// An empty selection of at most `capacity` items.
    @inlinable
    public init(capacity: Int) {
        self.capacity = max(capacity, 0)
        heap.reserveCapacity(self.capacity)
    }

    /// The number of items kept.
    @inlinable public var count: Int { heap.count }

    /// The score of the worst kept item, or `-infinity` when none is kept.
    @inlinable public var worstScore: Float { heap.first?.score ?? -.infinity }

    /// Keeps `candidate` if it ranks among the best `capacity` offered so far.
    @inlinable @inline(__always)
    public mutating func offer(_ candidate: ScoredItem) {
        guard !candidate.score.isNaN, capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(candidate)
            siftUp(from: heap.count - 1)
        } else if TopItems.isBetter(candidate, than: heap[0]) {
            heap[0] = candidate
            siftDown(from: 0)
        }
    }

    /// The kept items, best first (higher score, then lower item index).
    @inlinable
    public func bestFirst() -> [ScoredItem] {
        heap.sorted { TopItems.isBetter($0, than: $1) }
    }

    @inlinable
    mutating func siftUp(from index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard TopItems.isBetter(heap[parent], than: heap[child]) else { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    @inlinable
    mutating func siftDown(from index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < heap.count, TopItems.isBetter(heap[worst], than: heap[left]) { worst = left }
            if right < heap.count, TopItems.isBetter(heap[worst], than: heap[right]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}

/// The `count`-th largest of some floats, with a bounded min-heap of plain scores: the cut-off
/// of a top-`count` list when ties and item order do not matter yet.
struct KthLargestScore {
    private var heap: [Float]
    private let capacity: Int

    /// An empty selection for the `capacity`-th largest.
    init(capacity: Int) {
        self.capacity = capacity
        heap = []
        heap.reserveCapacity(capacity)
    }

    /// The `capacity`-th largest value offered, or `-infinity` when fewer were offered.
    var value: Float { heap.count == capacity ? heap[0] : -.infinity }

    /// Offers `score`; NaN and `-infinity` are ignored.
    @inline(__always)
    mutating func offer(_ score: Float) {
        if heap.count == capacity {
            guard score > heap[0] else { return }
            heap[0] = score
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, heap[left] < heap[smallest] { smallest = left }
                if right < heap.count, heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { return }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        guard score > -.infinity else { return }
        heap.append(score)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }
}
