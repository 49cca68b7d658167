#if canImport(Glibc)
import Glibc
#endif
import RecSupport

/// The item-by-item co-occurrence matrix `G = XᵀX` of the binary who-rated-what matrix `X`:
/// `G[i][j]` is the number of users who rated both `i` and `j`, and `G[i][i]` the number who
/// rated `i`. It is the sufficient statistic of every linear item-to-item model the ranking
/// uses (`ItemAutoencoder`) and of the item-kNN baseline's cosine similarity.
package enum ItemCooccurrence {
    /// `G` for `sets`, computed by `threadCount` threads that each own a range of rows, so no
    /// two threads write the same entry. It costs one addition per pair of movies a user
    /// rated: about 360 million on MovieLens-1M. With `userWeightExponent` `e > 0`, a user who
    /// rated `n` movies adds `n^-e` instead of 1.
    package static func counts(of sets: RatedItemSets, userWeightExponent: Float = 0, threadCount: Int) -> SquareMatrix {
        var gram = SquareMatrix(size: sets.itemCount)
        let stride = gram.stride, itemCount = sets.itemCount
        let threads = max(1, min(threadCount, itemCount))
        gram.values.withUnsafeMutableBufferPointer { values in
            let shared = SharedMutablePointer(base: values.baseAddress!)
            sets.items.withUnsafeBufferPointer { items in
                let sharedItems = SharedPointer(base: items.baseAddress!)
                ParallelLoop.run(threadCount: threads) { thread in
                    let rows = ParallelLoop.chunk(thread, of: threads, total: itemCount)
                    let gram = shared.base, items = sharedItems.base
                    for user in 0..<sets.userCount {
                        let start = Int(sets.starts[user]), end = Int(sets.starts[user + 1])
                        let weight: Float = userWeightExponent == 0 || end == start ? 1 : powf(Float(end - start), -userWeightExponent)
                        var first = start
                        while first < end && Int(items[first]) < rows.lowerBound { first += 1 }
                        var position = first
                        while position < end && Int(items[position]) < rows.upperBound {
                            let row = gram + Int(items[position]) * stride
                            for other in start..<end { row[Int(items[other])] += weight }
                            position += 1
                        }
                    }
                }
            }
        }
        return gram
    }
}
