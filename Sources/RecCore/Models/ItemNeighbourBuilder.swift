import RecSupport

/// Finds each movie's most similar movies with the shrunk Pearson-baseline similarity
/// (Koren, 2010), precomputed at training time for `rec-cli similar` and `/api/similar`.
///
/// For movies `i` and `j` rated by the common users `U(i,j)`, with baseline residuals
/// `z_ui = r_ui − (μ + b_u + b_i)`:
/// `ρ_ij = Σ z_ui z_uj / √(Σ z_ui² · Σ z_uj²)` over `U(i,j)`, shrunk toward zero for small
/// overlaps: `s_ij = (n_ij − 1) / (n_ij − 1 + shrinkage) · ρ_ij`. Removing the baselines keeps
/// popular or generally well-rated movies from looking similar to everything.
public enum ItemNeighbourBuilder {
    /// How neighbours are computed and how many are kept.
    public struct Settings: Sendable, Equatable {
        /// Neighbours kept per movie.
        public var neighboursPerItem: Int = 100
        /// The shrinkage strength, in common raters.
        public var shrinkage: Float = 100
        /// Pairs with fewer common raters are never neighbours.
        public var minimumCommonRaters: Int = 5

        /// The default settings.
        public init() {}
    }

    /// The co-rating statistics of one item pair.
    private struct PairStatistics {
        var product: Float = 0
        var firstSquares: Float = 0
        var secondSquares: Float = 0
        var count: Int32 = 0
    }

    /// The neighbour table of every item of `ratings`, using `baseline` for the residuals.
    public static func build(
        ratings: IndexedRatings, baseline: BiasBaselineModel, settings: Settings = Settings(),
        threadCount: Int = 1
    ) -> NeighbourTable {
        guard ratings.itemCount > 0, settings.neighboursPerItem > 0 else { return .empty }
        let (sortedItems, residuals) = sortedResiduals(ratings: ratings, baseline: baseline)
        let statistics = pairStatistics(items: sortedItems, residuals: residuals, ratings: ratings, threadCount: threadCount)
        return topNeighbours(statistics: statistics, itemCount: ratings.itemCount, settings: settings)
    }

    /// Each user's items in ascending order, with their residuals from `baseline`, grouped by
    /// user like `ratings.itemsByUser`.
    private static func sortedResiduals(ratings: IndexedRatings, baseline: BiasBaselineModel) -> (items: [Int32], residuals: [Float]) {
        var residuals = [Float](repeating: 0, count: ratings.count)
        var sortedItems = ratings.itemsByUser
        for user in 0..<ratings.userCount {
            let start = ratings.userOffsets[user], end = ratings.userOffsets[user + 1]
            let pairs = (start..<end).map { (ratings.itemsByUser[$0], ratings.ratingsByUser[$0]) }.sorted { $0.0 < $1.0 }
            for (offset, pair) in pairs.enumerated() {
                sortedItems[start + offset] = pair.0
                residuals[start + offset] = pair.1 - baseline.predict(user: user, item: Int(pair.0))
            }
        }
        return (sortedItems, residuals)
    }

    /// The upper-triangle co-rating statistics, `itemCount × itemCount`: row `i` holds the pairs
    /// `(i, j)` with `j > i`. Each thread owns a band of rows, balanced by the number of pair
    /// updates the band receives, so no two threads write the same cell.
    private static func pairStatistics(
        items sortedItems: [Int32], residuals: [Float], ratings: IndexedRatings,
        threadCount: Int
    ) -> [PairStatistics] {
        let itemCount = ratings.itemCount
        var statistics = [PairStatistics](repeating: PairStatistics(), count: itemCount * itemCount)
        let bands = rowBands(itemCounts: ratings.itemRatingCounts, threadCount: threadCount)
        statistics.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedMutablePointer(base: buffer.baseAddress!)
            sortedItems.withUnsafeBufferPointer { items in
                residuals.withUnsafeBufferPointer { values in
                    let itemsPointer = SharedMutablePointer(base: UnsafeMutablePointer(mutating: items.baseAddress!))
                    let valuesPointer = SharedMutablePointer(base: UnsafeMutablePointer(mutating: values.baseAddress!))
                    let offsets = ratings.userOffsets
                    ParallelLoop.run(threadCount: bands.count) { thread in
                        let band = bands[thread]
                        for user in 0..<(offsets.count - 1) {
                            let start = offsets[user], end = offsets[user + 1]
                            for first in start..<end {
                                let firstItem = Int(itemsPointer.base[first])
                                guard band.contains(firstItem) else { continue }
                                let firstValue = valuesPointer.base[first]
                                let row = shared.base + firstItem * itemCount
                                for second in (first + 1)..<max(end, first + 1) {
                                    let secondValue = valuesPointer.base[second]
                                    let cell = row + Int(itemsPointer.base[second])
                                    cell.pointee.product += firstValue * secondValue
                                    cell.pointee.firstSquares += firstValue * firstValue
                                    cell.pointee.secondSquares += secondValue * secondValue
                                    cell.pointee.count += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return statistics
    }

    /// The top neighbours of every item from its row (`j > i`) and column (`j < i`) of the
    /// statistics: shrunk Pearson correlations of the residuals, positive ones only.
    private static func topNeighbours(statistics: [PairStatistics], itemCount: Int, settings: Settings) -> NeighbourTable {
        let keep = settings.neighboursPerItem
        var neighbourItems = [Int32](repeating: -1, count: itemCount * keep)
        var neighbourSimilarities = [Float](repeating: 0, count: itemCount * keep)
        let shrinkage = settings.shrinkage, minimum = Int32(settings.minimumCommonRaters)
        statistics.withUnsafeBufferPointer { buffer in
            for item in 0..<itemCount {
                let best = TopItems.select(count: keep, from: itemCount) { other in
                    guard other != item else { return nil }
                    let cell = other > item ? buffer[item * itemCount + other] : buffer[other * itemCount + item]
                    guard cell.count >= minimum, cell.firstSquares > 0, cell.secondSquares > 0 else { return nil }
                    let correlation = cell.product / (cell.firstSquares * cell.secondSquares).squareRoot()
                    let overlap = Float(cell.count - 1)
                    let similarity = overlap / (overlap + shrinkage) * correlation
                    return similarity > 0 ? similarity : nil
                }
                for (slot, neighbour) in best.enumerated() {
                    neighbourItems[item * keep + slot] = Int32(neighbour.item)
                    neighbourSimilarities[item * keep + slot] = neighbour.score
                }
            }
        }
        return NeighbourTable(neighboursPerItem: keep, items: neighbourItems, similarities: neighbourSimilarities)
    }

    /// Splits item rows into `threadCount` contiguous bands with about equal pair-update work.
    private static func rowBands(itemCounts: [Int32], threadCount: Int) -> [Range<Int>] {
        let work = itemCounts.map { Double($0) * Double($0) }
        let total = work.reduce(0, +)
        guard threadCount > 1, total > 0 else { return [0..<itemCounts.count] }
        var bands: [Range<Int>] = []
        var start = 0, accumulated = 0.0
        for item in 0..<itemCounts.count {
            accumulated += work[item]
            if bands.count < threadCount - 1, accumulated >= total * Double(bands.count + 1) / Double(threadCount) {
                bands.append(start..<(item + 1))
                start = item + 1
            }
        }
        bands.append(start..<itemCounts.count)
        return bands
    }
}
