/// Ratings addressed by dense user and item indices, with by-user and by-item adjacency.
///
/// Models train on this form: `users`, `items` and `ratings` are parallel columns in the
/// original row order, and the compressed-row views group the same ratings by user and by
/// item for algorithms that sweep one user or one item at a time (SVD++, ALS, Gibbs sampling).
public struct IndexedRatings: Sendable {
    /// The number of users the indices range over.
    public let userCount: Int
    /// The number of items the indices range over.
    public let itemCount: Int
    /// The dense user index of each rating.
    public let users: [Int32]
    /// The dense item index of each rating.
    public let items: [Int32]
    /// The rating values.
    public let ratings: [Float]

    /// `userCount + 1` offsets: the ratings of user `u` are `userOffsets[u]..<userOffsets[u + 1]`
    /// of `itemsByUser` and `ratingsByUser`.
    public let userOffsets: [Int]
    /// Item indices grouped by user.
    public let itemsByUser: [Int32]
    /// Ratings grouped by user.
    public let ratingsByUser: [Float]

    /// `itemCount + 1` offsets into `usersByItem` and `ratingsByItem`.
    public let itemOffsets: [Int]
    /// User indices grouped by item.
    public let usersByItem: [Int32]
    /// Ratings grouped by item.
    public let ratingsByItem: [Float]

    /// Indexes ratings that are already in dense form.
    public init(userCount: Int, itemCount: Int, users: [Int32], items: [Int32], ratings: [Float]) {
        precondition(users.count == items.count && items.count == ratings.count, "columns must have equal lengths")
        self.userCount = userCount
        self.itemCount = itemCount
        self.users = users
        self.items = items
        self.ratings = ratings
        (userOffsets, itemsByUser, ratingsByUser) = Self.group(by: users, groupCount: userCount, other: items, ratings: ratings)
        (itemOffsets, usersByItem, ratingsByItem) = Self.group(by: items, groupCount: itemCount, other: users, ratings: ratings)
    }

    /// Indexes the rows of `table` whose user and movie are in the given indices; rows with an
    /// unknown user or movie are dropped (the caller builds the indices from the table itself
    /// when every row must be kept).
    public init(_ table: RatingTable, users userIndex: IdentifierIndex, items itemIndex: IdentifierIndex) {
        let userLookup = userIndex.denseLookupTable()
        let itemLookup = itemIndex.denseLookupTable()
        var users: [Int32] = [], items: [Int32] = [], ratings: [Float] = []
        users.reserveCapacity(table.count)
        items.reserveCapacity(table.count)
        ratings.reserveCapacity(table.count)
        for row in 0..<table.count {
            let userID = Int(table.userIDs[row]), movieID = Int(table.movieIDs[row])
            guard userID < userLookup.count, movieID < itemLookup.count else { continue }
            let user = userLookup[userID], item = itemLookup[movieID]
            guard user >= 0, item >= 0 else { continue }
            users.append(user)
            items.append(item)
            ratings.append(table.ratings[row])
        }
        self.init(userCount: userIndex.count, itemCount: itemIndex.count, users: users, items: items, ratings: ratings)
    }

    /// The number of ratings.
    public var count: Int { ratings.count }

    /// The mean rating, or 0 when there are none.
    public var meanRating: Float {
        guard !ratings.isEmpty else { return 0 }
        var sum = 0.0
        for rating in ratings { sum += Double(rating) }
        return Float(sum / Double(ratings.count))
    }

    /// The number of ratings of each user.
    public var userRatingCounts: [Int32] {
        (0..<userCount).map { Int32(userOffsets[$0 + 1] - userOffsets[$0]) }
    }

    /// The number of ratings of each item.
    public var itemRatingCounts: [Int32] {
        (0..<itemCount).map { Int32(itemOffsets[$0 + 1] - itemOffsets[$0]) }
    }

    /// The ratings at `rows`, re-indexed with the same user and item indices.
    public func subset(_ rows: [Int]) -> IndexedRatings {
        IndexedRatings(
            userCount: userCount, itemCount: itemCount,
            users: rows.map { users[$0] }, items: rows.map { items[$0] }, ratings: rows.map { ratings[$0] })
    }

    /// Groups the rows by a key column with a counting sort, keeping row order within a group.
    private static func group(by keys: [Int32], groupCount: Int, other: [Int32], ratings: [Float]) -> ([Int], [Int32], [Float]) {
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        for key in keys { offsets[Int(key) + 1] += 1 }
        for group in 0..<groupCount { offsets[group + 1] += offsets[group] }
        var cursor = offsets
        var groupedOther = [Int32](repeating: 0, count: keys.count)
        var groupedRatings = [Float](repeating: 0, count: keys.count)
        for row in 0..<keys.count {
            let key = Int(keys[row])
            groupedOther[cursor[key]] = other[row]
            groupedRatings[cursor[key]] = ratings[row]
            cursor[key] += 1
        }
        return (offsets, groupedOther, groupedRatings)
    }
}
