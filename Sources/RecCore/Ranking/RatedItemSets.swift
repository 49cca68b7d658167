/// Which movies each user rated, as distinct item indices in ascending order per user: the
/// binary who-rated-what matrix in compressed rows.
///
/// The ranking model learns from this matrix, a known user's list leaves these movies out,
/// and the model file stores it (sections 20 and 21) so `/api/recommend` never returns a movie
/// the user rated in training.
public struct RatedItemSets: Sendable, Equatable {
    /// The number of items the indices range over.
    public let itemCount: Int
    /// `userCount + 1` ascending offsets: user `u`'s items are `items[starts[u]..<starts[u + 1]]`.
    public let starts: [UInt32]
    /// The item indices, strictly ascending within each user.
    public let items: [Int32]

    /// The sets of `ratings` of at least `minimumRating` (every rating by default); a movie a
    /// user rated twice appears once.
    public init(_ ratings: IndexedRatings, minimumRating: Float = -.infinity) {
        var starts: [UInt32] = [0]
        starts.reserveCapacity(ratings.userCount + 1)
        var items: [Int32] = []
        items.reserveCapacity(ratings.count)
        for user in 0..<ratings.userCount {
            let range = ratings.userOffsets[user]..<ratings.userOffsets[user + 1]
            let rated = range.filter { ratings.ratingsByUser[$0] >= minimumRating }.map { ratings.itemsByUser[$0] }.sorted()
            for (position, item) in rated.enumerated() where position == 0 || rated[position - 1] != item {
                items.append(item)
            }
            starts.append(UInt32(items.count))
        }
        self.init(itemCount: ratings.itemCount, starts: starts, items: items)
    }

    /// Sets from their compressed rows, which the caller guarantees are well formed.
    public init(itemCount: Int, starts: [UInt32], items: [Int32]) {
        precondition(starts.first == 0 && starts.last.map(Int.init) == items.count, "offsets must run from 0 to the item count")
        self.itemCount = itemCount
        self.starts = starts
        self.items = items
    }

    /// The number of users.
    public var userCount: Int { starts.count - 1 }

    /// The items `user` rated, ascending.
    public func items(ofUser user: Int) -> ArraySlice<Int32> {
        items[Int(starts[user])..<Int(starts[user + 1])]
    }
}
