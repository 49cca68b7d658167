/// An index entry that may match a query fuzzily, with an upper bound of its score.
struct FuzzyCandidate {
    /// The entry's position in the index.
    var position: Int
    /// A score the entry cannot exceed.
    var bound: Double

    /// Whether this candidate comes out of the queue before `other`: higher bound first, then
    /// lower position, so the order is total.
    func precedes(_ other: FuzzyCandidate) -> Bool {
        bound != other.bound ? bound > other.bound : position < other.position
    }
}

/// Hands out fuzzy candidates highest bound first.
///
/// A binary heap: building it is linear and each candidate taken costs a logarithm, so a
/// search that stops after a few candidates never pays for sorting the thousands it skips.
struct FuzzyCandidateQueue {
    private var heap: [FuzzyCandidate]

    init(_ candidates: [FuzzyCandidate]) {
        heap = candidates
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }

    /// The candidate with the highest bound, removed from the queue.
    mutating func next() -> FuzzyCandidate? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(from: 0)
        }
        return first
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            guard first != parent else { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
