/// Ratings as parallel, contiguous columns, exactly as they appear in a ratings file.
///
/// Columns instead of an array of row structs keep every hot loop (splitting, indexing,
/// scoring) on tightly packed memory, and let a 950k-row file load without a per-row object.
public struct RatingTable: Sendable, Equatable {
    /// The external user id of each row.
    public var userIDs: [Int32]
    /// The external movie id of each row.
    public var movieIDs: [Int32]
    /// The rating of each row, on the file's own scale (MovieLens: 1 to 5).
    public var ratings: [Float]
    /// The Unix timestamp of each row, or `nil` when the file has no timestamp column.
    public var timestamps: [Int64]?

    /// An empty table, optionally with a timestamp column.
    public init(hasTimestamps: Bool = false) {
        userIDs = []
        movieIDs = []
        ratings = []
        timestamps = hasTimestamps ? [] : nil
    }

    /// A table from whole columns; all columns must have the same length.
    public init(userIDs: [Int32], movieIDs: [Int32], ratings: [Float], timestamps: [Int64]? = nil) {
        precondition(
            userIDs.count == movieIDs.count && movieIDs.count == ratings.count,
            "rating columns must have equal lengths")
        precondition(
            timestamps == nil || timestamps!.count == ratings.count,
            "the timestamp column must match the other columns")
        self.userIDs = userIDs
        self.movieIDs = movieIDs
        self.ratings = ratings
        self.timestamps = timestamps
    }

    /// The number of rows.
    public var count: Int { ratings.count }

    /// Whether the table has no rows.
    public var isEmpty: Bool { ratings.isEmpty }

    /// Reserves room for `capacity` rows in every column.
    public mutating func reserveCapacity(_ capacity: Int) {
        userIDs.reserveCapacity(capacity)
        movieIDs.reserveCapacity(capacity)
        ratings.reserveCapacity(capacity)
        timestamps?.reserveCapacity(capacity)
    }

    /// Appends one row; `timestamp` is ignored when the table has no timestamp column.
    public mutating func append(userID: Int32, movieID: Int32, rating: Float, timestamp: Int64 = 0) {
        userIDs.append(userID)
        movieIDs.append(movieID)
        ratings.append(rating)
        timestamps?.append(timestamp)
    }

    /// The rows at `rowIndices`, in that order.
    public func rows(_ rowIndices: some Collection<Int>) -> RatingTable {
        var result = RatingTable(hasTimestamps: timestamps != nil)
        result.reserveCapacity(rowIndices.count)
        for row in rowIndices {
            result.append(
                userID: userIDs[row], movieID: movieIDs[row], rating: ratings[row],
                timestamp: timestamps?[row] ?? 0)
        }
        return result
    }

    /// The mean rating, or 0 for an empty table.
    public var meanRating: Double {
        guard !ratings.isEmpty else { return 0 }
        var sum = 0.0
        for rating in ratings { sum += Double(rating) }
        return sum / Double(ratings.count)
    }
}
