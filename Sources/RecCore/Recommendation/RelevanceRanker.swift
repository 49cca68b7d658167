import RecModelFile
import RecModels

/// Ranks every movie for a person folded in from a few ratings by the ranking model's
/// new-person blend (`RankingBlend`), exactly, while computing the rating estimate of only the
/// few movies that can make the list.
///
/// The blend's score is the watch term times a logistic in (0, 1), so the watch term bounds
/// it from above:
///
/// 1. The watch scores are the sums of the given movies' stored weights in the table of the
///    person's group (`WatchWeights`, `NewPersonWatchWeights`), a few hundred additions per
///    given movie, and every movie's watch term follows in one pass.
/// 2. The movies with the highest watch terms (twice the list, at least 32) are scored
///    exactly; the `count`-th best of those scores, `τ`, is a lower bound of the final list's.
/// 3. Every other movie whose watch term exceeds `τ` is scored exactly too; the rest score
///    below `τ` and cannot make the list.
///
/// Ties go to the lower item index, so the list is the same as scoring every movie.
///
/// With the default model, a list of 20 for the people of the new-person protocol scores
/// about 134, 94 and 174 of the 3,706 movies exactly (1, 5 and 20 given); seeding with four
/// times the list scored as many and spent more time selecting the seeds.
enum RelevanceRanker {
    /// The best `count` items for `person`, who gave `givenItems`, best first; each score is
    /// the person's unclamped rating estimate, not the blend's score.
    static func rank(
        person: FoldedInPerson, givenItems: [Int], items: ItemParameterView, ranking: RankingModelView,
        popularity: [Float], count: Int
    ) -> [ScoredItem] {
        let givenCount = Set(givenItems).count, itemCount = items.itemCount
        let blend = ranking.blends.newPersonBlend(givenCount: givenCount), table = ranking.watchTable(givenCount: givenCount)
        let stride = items.stride, base = items.globalMean + person.bias
        // One buffer: the watch bounds, then the rating estimates computed so far (NaN: not yet).
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * itemCount) { buffer in
            let watch = buffer.baseAddress!, estimates = watch + itemCount
            watch.initialize(repeating: 0, count: itemCount)
            estimates.initialize(repeating: .nan, count: itemCount)
            WatchWeights.accumulate(
                rows: givenItems, items: table.items, weights: table.weights,
                perItem: ranking.watchWeightsPerItem, into: watch, itemCount: itemCount)
            // Turn the watch scores into bounds; −∞ marks movies that cannot be recommended.
            for item in 0..<itemCount {
                watch[item] =
                    items.itemRatingCounts[item] > 0 ? blend.watchTerm(watch: watch[item], popularity: popularity[item]) : -.infinity
            }
            for item in givenItems where item >= 0 && item < itemCount { watch[item] = -.infinity }

            return person.factors.withUnsafeBufferPointer { factors in
                /// Offers `item` to `best` with its exact score, computing its rating estimate once.
                func offer(_ item: Int, to best: inout BoundedTopItems) {
                    var rating = base + items.itemBiases[item]
                    if stride > 0 {
                        rating += VectorKernels.dot(items.itemFactors.baseAddress! + item * stride, factors.baseAddress!, length: stride)
                    }
                    estimates[item] = rating
                    best.offer(ScoredItem(item: item, score: watch[item] * blend.likingFactor(rating: rating)))
                }
                var best = BoundedTopItems(capacity: count)
                let seeds = TopItems.select(count: max(2 * count, 32), from: itemCount) { watch[$0] > -.infinity ? watch[$0] : nil }
                for seed in seeds { offer(seed.item, to: &best) }
                // −∞ never exceeds the threshold, so movies that cannot be recommended stay out.
                let threshold = best.count == count ? best.worstScore : -.infinity
                for item in 0..<itemCount where watch[item] > threshold && estimates[item].isNaN { offer(item, to: &best) }
                return best.bestFirst().map { ScoredItem(item: $0.item, score: estimates[$0.item]) }
            }
        }
    }
}
