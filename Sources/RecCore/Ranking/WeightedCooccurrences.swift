import RecSupport

/// The co-occurrence matrices of one set of rated movies (`ItemCooccurrence`), each user
/// weighting counted once however often it is asked for: the known-user candidates share
/// weightings (and the new-person model shares one when its exponent is the same), and each
/// count adds up every pair of movies a user rated.
struct WeightedCooccurrences {
    /// The rated movies counted.
    let sets: RatedItemSets
    /// The threads each count runs on.
    let threadCount: Int
    private var byExponent: [Float: SquareMatrix] = [:]

    /// Counts nothing yet.
    init(sets: RatedItemSets, threadCount: Int) {
        self.sets = sets
        self.threadCount = threadCount
    }

    /// The co-occurrences with each user weighted `n^-userWeightExponent`, counted on first use.
    mutating func matrix(userWeightExponent: Float) -> SquareMatrix {
        if let counted = byExponent[userWeightExponent] { return counted }
        let counted = ItemCooccurrence.counts(of: sets, userWeightExponent: userWeightExponent, threadCount: threadCount)
        byExponent[userWeightExponent] = counted
        return counted
    }
}
