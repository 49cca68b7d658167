#if canImport(Glibc)
import Glibc
#endif

/// Recall@N and NDCG@N of a method's lists, averaged over the people of a protocol.
///
/// With `R` relevant movies and hits at 1-based ranks `r ≤ N` of the list:
/// `recall@N = hits / min(N, R)` and
/// `NDCG@N = Σ_hits 1/log₂(r + 1) / Σ_{r ≤ min(N, R)} 1/log₂(r + 1)`.
/// Dividing by `min(N, R)` rather than `R` lets a perfect list score 1 even for someone with
/// more than `N` relevant movies (Liang et al. 2018).
public struct TopNAccumulator: Sendable {
    /// The judged length of each list.
    public let listLength: Int
    private var recallSum = 0.0
    private var gainSum = 0.0
    /// The number of lists added.
    public private(set) var count = 0
    private let discounts: [Double]

    /// An empty average for lists judged at `listLength`.
    public init(listLength: Int = TopNProtocol.listLength) {
        self.listLength = listLength
        discounts = (0..<listLength).map { 1 / log2(Double($0) + 2) }
    }

    /// Adds one person's list, best first (only the first `listLength` count), given their
    /// relevant items in ascending order. A person with no relevant item is not counted.
    public mutating func add<Ranked: Collection<Int>>(ranked: Ranked, relevant: [Int32]) {
        guard !relevant.isEmpty else { return }
        var hits = 0
        var gain = 0.0
        for (rank, item) in ranked.prefix(listLength).enumerated() where Self.contains(relevant, Int32(truncatingIfNeeded: item)) {
            hits += 1
            gain += discounts[rank]
        }
        let ideal = min(listLength, relevant.count)
        recallSum += Double(hits) / Double(ideal)
        gainSum += gain / discounts[..<ideal].reduce(0, +)
        count += 1
    }

    /// Adds every person of `other`, which must judge lists of the same length.
    public mutating func merge(_ other: TopNAccumulator) {
        precondition(other.listLength == listLength, "the lists must be judged at the same length")
        recallSum += other.recallSum
        gainSum += other.gainSum
        count += other.count
    }

    /// The mean recall@N, or 0 before any list.
    public var recall: Double { count == 0 ? 0 : recallSum / Double(count) }
    /// The mean NDCG@N, or 0 before any list.
    public var normalizedDiscountedCumulativeGain: Double { count == 0 ? 0 : gainSum / Double(count) }

    private static func contains(_ sorted: [Int32], _ item: Int32) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < item { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == item
    }
}
