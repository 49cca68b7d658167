import Foundation

/// Top-of-list quality of a model's predictions: precision@10 and NDCG@10 over the rows of a
/// ratings file, with the same figures for a random order as the reference point.
///
/// Protocol: for each user of the file, that user's rows are ranked by predicted rating, best
/// first (ties go to the lower movie id); a row is relevant when its actual rating is at least
/// 4. With `n` rows of which `R` are relevant and a cut-off `K = min(10, n)`:
/// `precision = hits in the first K / K` and
/// `NDCG = Σ_{r ≤ K, relevant} 1/log₂(r+1) / Σ_{r ≤ min(K, R)} 1/log₂(r+1)` (binary gains).
/// Both are averaged over the users with at least one relevant row.
///
/// Ranking a user's own rated movies (rather than every movie they did not rate) measures how
/// well the model orders what the user actually watched, needs nothing but the model and the
/// file, and is not biased toward popular movies the user happened not to see. Because most
/// users of a small test file have fewer than ten rows, precision then partly reflects the
/// share of relevant rows; the random-order expectation, `R/n` for precision and
/// `(R/n) Σ_{r ≤ K} 1/log₂(r+1) / Σ_{r ≤ min(K,R)} 1/log₂(r+1)` for NDCG, is reported next to
/// each so the model's lift is visible.
public enum RankingMetrics {
    /// The ranks that count.
    public static let cutoff = 10
    /// The lowest rating that makes a row relevant.
    public static let relevantRating: Float = 4

    /// The averaged figures.
    public struct Result: Sendable, Equatable {
        /// Mean precision@10 of the model's order.
        public var precision: Double
        /// Mean NDCG@10 of the model's order.
        public var normalizedDiscountedCumulativeGain: Double
        /// The expected precision@10 of a random order.
        public var randomPrecision: Double
        /// The expected NDCG@10 of a random order.
        public var randomNormalizedDiscountedCumulativeGain: Double
        /// The users averaged over (those with at least one relevant row).
        public var users: Int
    }

    /// The ranking metrics of `scores` (one per row, higher is better) for the rows given by
    /// parallel `userIDs`, `movieIDs` and actual `ratings`.
    public static func evaluate(userIDs: [Int32], movieIDs: [Int32], ratings: [Float], scores: [Float]) -> Result {
        precondition(
            userIDs.count == movieIDs.count && movieIDs.count == ratings.count && ratings.count == scores.count,
            "every row needs a user, a movie, a rating and a score")
        var rowsByUser: [Int32: [Int]] = [:]
        for row in userIDs.indices { rowsByUser[userIDs[row], default: []].append(row) }
        let discounts = (0...cutoff).map { $0 == 0 ? 0 : 1 / log2(Double($0) + 1) }
        var precision = 0.0, gain = 0.0, randomPrecision = 0.0, randomGain = 0.0, users = 0
        for rows in rowsByUser.values {
            let relevant = rows.filter { ratings[$0] >= relevantRating }.count
            guard relevant > 0 else { continue }
            let ranked = rows.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && movieIDs[$0] < movieIDs[$1]) }
            let depth = min(cutoff, rows.count)
            var hits = 0, cumulativeGain = 0.0
            for rank in 1...depth where ratings[ranked[rank - 1]] >= relevantRating {
                hits += 1
                cumulativeGain += discounts[rank]
            }
            let ideal = (1...min(depth, relevant)).reduce(0.0) { $0 + discounts[$1] }
            let share = Double(relevant) / Double(rows.count)
            precision += Double(hits) / Double(depth)
            gain += cumulativeGain / ideal
            randomPrecision += share
            randomGain += share * (1...depth).reduce(0.0) { $0 + discounts[$1] } / ideal
            users += 1
        }
        let count = Double(max(users, 1))
        return Result(
            precision: precision / count, normalizedDiscountedCumulativeGain: gain / count,
            randomPrecision: randomPrecision / count, randomNormalizedDiscountedCumulativeGain: randomGain / count,
            users: users)
    }
}
