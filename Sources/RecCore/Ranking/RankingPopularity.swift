/// Popularity as the ranking uses it: the number of training ratings of each movie.
package enum RankingPopularity {
    /// Each count as a share of the largest, in [0, 1]; all zeros when nothing was rated.
    package static func shares<Counts: Collection<Int32>>(of counts: Counts) -> [Float] {
        let largest = Float(counts.max() ?? 0)
        return counts.map { largest > 0 ? Float($0) / largest : 0 }
    }

    /// The items by descending count, ties to the lower index: the most-popular list.
    package static func order<Counts: Collection<Int32>>(of counts: Counts) -> [Int] where Counts.Index == Int {
        counts.indices.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
    }
}
