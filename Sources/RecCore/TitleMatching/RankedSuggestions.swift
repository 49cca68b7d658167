/// The best few distinct items seen so far during a fuzzy scan, in rank order: higher score
/// first, then more ratings, then the lower item index. A total order, so the outcome does
/// not depend on the order the index is scanned in.
struct RankedSuggestions {
    private struct Candidate {
        var item: Int32
        var score: Double
        var ratingCount: Int32

        func outranks(_ other: Candidate) -> Bool {
            if score != other.score { return score > other.score }
            if ratingCount != other.ratingCount { return ratingCount > other.ratingCount }
            return item < other.item
        }
    }

    /// How many items are kept.
    let capacity: Int
    private var candidates: [Candidate] = []

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
        candidates.reserveCapacity(self.capacity + 1)
    }

    /// The score a new item must reach to enter, or `floor` while there is room.
    func entryScore(floor: Double) -> Double {
        guard candidates.count == capacity else { return floor }
        return candidates.last.map { max(floor, $0.score) } ?? .infinity
    }

    /// The best score kept so far.
    var bestScore: Double? { candidates.first?.score }

    /// Keeps `item` with `score` if it ranks among the best; an item seen again keeps its
    /// best score.
    mutating func offer(item: Int32, score: Double, ratingCount: Int32) {
        let candidate = Candidate(item: item, score: score, ratingCount: ratingCount)
        // A full list turns away what does not beat its last item first: then neither can it
        // beat the item's own entry, so the scan for that entry is left out.
        if candidates.count == capacity {
            guard let last = candidates.last, candidate.outranks(last) else { return }
        }
        if let existing = candidates.firstIndex(where: { $0.item == item }) {
            guard candidate.outranks(candidates[existing]) else { return }
            candidates.remove(at: existing)
        } else if candidates.count == capacity {
            candidates.removeLast()
        }
        let position = candidates.firstIndex { candidate.outranks($0) } ?? candidates.count
        candidates.insert(candidate, at: position)
    }

    /// The kept items, best first.
    var suggestions: [TitleSuggestion] {
        candidates.map { TitleSuggestion(item: $0.item, score: $0.score) }
    }
}
