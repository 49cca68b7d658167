/// A loaded generation's ranking model: zero-copy views of the model file's sections 20 to
/// 25, valid while the `LoadedModel` that made them is alive.
///
/// Opening checks their sizes against the header's counts, that the rated items of each user
/// are strictly ascending item indices, that every stored list entry and watch-weight target
/// is `-1` or an item index, and that the weights and blends are finite, so no lookup below
/// can read outside the map.
public struct RankingModelView: @unchecked Sendable {
    /// `userCount + 1` offsets into `ratedItems`.
    public let ratedItemStarts: UnsafeBufferPointer<UInt32>
    /// Each training user's distinct rated items, ascending.
    public let ratedItems: UnsafeBufferPointer<Int32>
    /// The length of each stored list.
    public let rankedItemsPerUser: Int
    /// `userCount × rankedItemsPerUser` item indices, best first, `-1` after a list's end.
    public let userRankedItems: UnsafeBufferPointer<Int32>
    /// The watch-weight slots per movie.
    public let watchWeightsPerItem: Int
    /// `itemCount × watchWeightsPerItem` target items, `-1` for an empty slot.
    public let watchWeightItems: UnsafeBufferPointer<Int32>
    /// The weight of each slot.
    public let watchWeights: UnsafeBufferPointer<Float>
    /// The blends.
    public let blends: RankingBlends

    /// The views of `sections`, or nil when the file has no ranking model.
    ///
    /// - Throws: `corruptSection` when only some of the sections are present, or one breaks
    ///   the rules above.
    init?(sections: ModelFileSectionTable, itemCount: Int, userCount: Int, path: String) throws(ModelFileError) {
        func corrupt(_ reason: String) -> ModelFileError { ModelFileError(.corruptSection, path: path, reason: reason) }
        let present = ModelFileSectionKind.rankingModel.filter { sections.contains($0) }
        guard !present.isEmpty else { return nil }
        guard present.count == ModelFileSectionKind.rankingModel.count else {
            let missing = ModelFileSectionKind.rankingModel.filter { !sections.contains($0) }.map { "\($0)" }.joined(separator: ", ")
            throw corrupt("the ranking model is incomplete: \(missing) missing")
        }
        ratedItemStarts = try sections.requiredElements(.userRatedItemStarts, as: UInt32.self, count: userCount + 1)
        ratedItems = try sections.requiredElements(.userRatedItems, as: Int32.self)
        userRankedItems = try sections.requiredElements(.userRankedItems, as: Int32.self)
        watchWeightItems = try sections.requiredElements(.watchWeightItems, as: Int32.self)
        watchWeights = try sections.requiredElements(.watchWeights, as: Float.self, count: watchWeightItems.count)
        let blendValues = try sections.requiredElements(.rankingBlends, as: Float.self, count: RankingBlends.sectionCount)
        rankedItemsPerUser = try Self.rowLength(of: userRankedItems.count, rows: userCount, name: "userRankedItems", corrupt: corrupt)
        watchWeightsPerItem = try Self.rowLength(of: watchWeightItems.count, rows: itemCount, name: "watchWeightItems", corrupt: corrupt)
        blends = RankingBlends(sectionValues: blendValues)
        do throws(ModelFileInvariants.Violation) {
            try ModelFileInvariants.checkRatedItems(starts: ratedItemStarts, items: ratedItems, itemCount: itemCount)
            try ModelFileInvariants.checkNeighbourItems(userRankedItems, itemCount: itemCount)
            try ModelFileInvariants.checkNeighbourItems(watchWeightItems, itemCount: itemCount)
            try ModelFileInvariants.checkFinite(watchWeights, name: "watch weights")
            try ModelFileInvariants.checkFinite(blendValues, name: "ranking blends")
        } catch {
            throw corrupt(error.reason)
        }
    }

    /// The movies `user` rated in training, ascending.
    public func ratedItems(ofUser user: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(rebasing: ratedItems[Int(ratedItemStarts[user])..<Int(ratedItemStarts[user + 1])])
    }

    /// `user`'s stored list, best first, ending at its first `-1`.
    public func rankedItems(ofUser user: Int) -> UnsafeBufferPointer<Int32> {
        let row = UnsafeBufferPointer(rebasing: userRankedItems[(user * rankedItemsPerUser)..<((user + 1) * rankedItemsPerUser)])
        return UnsafeBufferPointer(rebasing: row[..<(row.firstIndex(of: -1) ?? row.count)])
    }

    /// The length of rows when `count` values hold `rows` equal rows.
    private static func rowLength(of count: Int, rows: Int, name: String,
                                  corrupt: (String) -> ModelFileError) throws(ModelFileError) -> Int {
        guard rows > 0 else {
            guard count == 0 else { throw corrupt("the \(name) section holds \(count) values for no rows") }
            return 0
        }
        guard count % rows == 0 else { throw corrupt("the \(name) section holds \(count) values, not whole rows of \(rows)") }
        return count / rows
    }
}
