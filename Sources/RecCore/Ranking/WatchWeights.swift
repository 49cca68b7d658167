import RecSupport

/// The denoising autoencoder's weights as the model file stores them for new people: each
/// movie's `weightsPerItem` largest positive weights to other movies, as a `NeighbourTable`
/// (item indices, `-1` for an empty slot, and their weights).
///
/// A new person's watch score for movie `j` is the sum of the weights from the movies they
/// gave to `j`; keeping only the largest weights of each row makes that a few hundred additions
/// per given movie instead of a pass over the whole catalogue.
package enum WatchWeights {
    /// The largest `weightsPerItem` positive off-diagonal weights of each row of `weights`.
    static func table(from weights: SquareMatrix, weightsPerItem: Int, threadCount: Int) -> NeighbourTable {
        let size = weights.size, width = min(weightsPerItem, max(size - 1, 0))
        var items = [Int32](repeating: -1, count: size * width)
        var values = [Float](repeating: 0, count: size * width)
        let threads = max(1, min(threadCount, size))
        items.withUnsafeMutableBufferPointer { items in
            values.withUnsafeMutableBufferPointer { values in
                let sharedItems = SharedMutablePointer(base: items.baseAddress!),
                    sharedValues = SharedMutablePointer(base: values.baseAddress!)
                weights.values.withUnsafeBufferPointer { matrix in
                    let sharedMatrix = SharedPointer(base: matrix.baseAddress!)
                    ParallelLoop.run(threadCount: threads) { thread in
                        for row in ParallelLoop.chunk(thread, of: threads, total: size) {
                            let weightsRow = sharedMatrix.base + row * weights.stride
                            let best = TopItems.select(count: width, from: size) { column in
                                column != row && weightsRow[column] > 0 ? weightsRow[column] : nil
                            }
                            for (slot, entry) in best.enumerated() {
                                sharedItems.base[row * width + slot] = Int32(entry.item)
                                sharedValues.base[row * width + slot] = entry.score
                            }
                        }
                    }
                }
            }
        }
        return NeighbourTable(neighboursPerItem: width, items: items, similarities: values)
    }

    /// Adds the weights of `rows`' slots in `table` (`perItem` slots per row) to the
    /// `itemCount` floats at `scores`. A row ends at its first empty slot; rows and targets
    /// outside the catalogue, which only a damaged file has, are skipped.
    @inlinable @inline(__always)
    package static func accumulate<Rows: Sequence<Int>>(
        rows: Rows, items: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>,
        perItem: Int, into scores: UnsafeMutablePointer<Float>, itemCount: Int
    ) {
        for row in rows where row >= 0 && (row + 1) * perItem <= items.count {
            let start = row * perItem
            for slot in start..<(start + perItem) {
                let item = Int(items[slot])
                guard item >= 0 else { break }
                if item < itemCount { scores[item] += weights[slot] }
            }
        }
    }
}
