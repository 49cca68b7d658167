import RecModels

/// A loaded generation's ranking model: zero-copy views of the model file's sections 20 to
/// 25 and 28 to 30, valid while the `LoadedModel` that made them is alive.
///
/// Opening checks their sizes against the header's counts, that the rated-item offsets run
/// from 0 to the rated items in order and that the blends are finite: work that grows with the
/// users and items, not with the 6 million list entries, so a worker still switches generations
/// in well under a millisecond. The entries themselves are checked where they are read: a list
/// ends at its first entry that is not an item index, and `WatchWeights.accumulate` skips
/// targets outside the catalogue, so a damaged entry can shorten a list but never make a
/// lookup read outside the map. The writer checks every entry (`ModelFileWriter.validate`), and
/// the checksum catches damage after writing.
public struct RankingModelView: @unchecked Sendable {
    /// `userCount + 1` offsets into `ratedItems`.
    public let ratedItemStarts: UnsafeBufferPointer<UInt32>
    /// Each training user's distinct rated items, ascending.
    public let ratedItems: UnsafeBufferPointer<Int32>
    /// The length of each stored list.
    public let rankedItemsPerUser: Int
    /// `userCount × rankedItemsPerUser` item indices, best first, `-1` after a list's end.
    public let userRankedItems: UnsafeBufferPointer<Int32>
    /// The watch-weight slots per movie, in every table.
    public let watchWeightsPerItem: Int
    /// The new-person watch-weight tables: sections 23 and 24, then those of 28 and 29.
    public let watchTables: [WatchTable]
    /// The index in `watchTables` of each new-person group's table: section 30, or all 0
    /// when the file has one table.
    public let watchTableOfGroup: [Int]
    /// The blends.
    public let blends: RankingBlends
    /// The number of items, which every valid entry is below.
    private let itemCount: Int

    /// The views of `sections`, or nil when the file has no ranking model.
    ///
    /// - Throws: `corruptSection` when only some of the sections are present, or one breaks
    ///   the rules above.
    init?(sections: ModelFileSectionTable, itemCount: Int, userCount: Int, path: String) throws(ModelFileError) {
        func corrupt(_ reason: String) -> ModelFileError { ModelFileError(.corruptSection, path: path, reason: reason) }
        guard try sections.containsAll(ModelFileSectionKind.rankingModel, what: "the ranking model is") else {
            guard !ModelFileSectionKind.moreWatchTables.contains(where: sections.contains) else {
                throw corrupt("the file has extra watch-weight tables but no ranking model")
            }
            return nil
        }
        ratedItemStarts = try sections.requiredElements(.userRatedItemStarts, as: UInt32.self, count: userCount + 1)
        ratedItems = try sections.requiredElements(.userRatedItems, as: Int32.self)
        userRankedItems = try sections.requiredElements(.userRankedItems, as: Int32.self)
        let firstTable = try WatchTable(sections: sections, items: .watchWeightItems, weights: .watchWeights)
        let blendValues = try sections.requiredElements(.rankingBlends, as: Float.self, count: RankingBlends.sectionCount)
        rankedItemsPerUser = try Self.rowLength(of: userRankedItems.count, rows: userCount, name: "userRankedItems", corrupt: corrupt)
        watchWeightsPerItem = try Self.rowLength(of: firstTable.items.count, rows: itemCount, name: "watchWeightItems", corrupt: corrupt)
        (watchTables, watchTableOfGroup) = try Self.watchTables(first: firstTable, sections: sections, corrupt: corrupt)
        blends = RankingBlends(sectionValues: blendValues)
        self.itemCount = itemCount
        do throws(ModelFileInvariants.Violation) {
            try ModelFileInvariants.checkOffsets(ratedItemStarts, endingAt: ratedItems.count, name: "rated-item")
            try ModelFileInvariants.checkFinite(blendValues, name: "ranking blends")
        } catch {
            throw corrupt(error.reason)
        }
    }

    /// The movies `user` rated in training, as item indices (entries outside the catalogue,
    /// which only a damaged file has, are left out).
    public func ratedItems(ofUser user: Int) -> [Int] {
        let start = Int(ratedItemStarts[user]), end = Int(ratedItemStarts[user + 1])
        guard start <= end, end <= ratedItems.count else { return [] }
        return ratedItems[start..<end].compactMap { $0 >= 0 && Int($0) < itemCount ? Int($0) : nil }
    }

    /// `user`'s stored list, best first, ending at its first entry that is not an item index
    /// (`-1` pads a list shorter than `rankedItemsPerUser`).
    public func rankedItems(ofUser user: Int) -> UnsafeBufferPointer<Int32> {
        let row = UnsafeBufferPointer(rebasing: userRankedItems[(user * rankedItemsPerUser)..<((user + 1) * rankedItemsPerUser)])
        return UnsafeBufferPointer(rebasing: row[..<(row.firstIndex { $0 < 0 || Int($0) >= itemCount } ?? row.count)])
    }

    /// The table for a new person who gave `givenCount` ratings.
    public func watchTable(givenCount: Int) -> WatchTable {
        watchTables[watchTableOfGroup[RankingBlends.newPersonGroup(givenCount: givenCount)]]
    }

    /// `first` and the tables of sections 28 and 29, with each group's index from section 30;
    /// `first` alone for every group when the file has none of them.
    private static func watchTables(
        first: WatchTable, sections: ModelFileSectionTable, corrupt: (String) -> ModelFileError
    ) throws(ModelFileError) -> ([WatchTable], [Int]) {
        guard try sections.containsAll(ModelFileSectionKind.moreWatchTables, what: "the extra watch-weight tables are") else {
            return ([first], Array(repeating: 0, count: RankingBlends.newPersonGroupCount))
        }
        let more = try WatchTable(sections: sections, items: .moreWatchWeightItems, weights: .moreWatchWeights)
        let tableSize = first.items.count
        guard tableSize > 0, !more.items.isEmpty, more.items.count % tableSize == 0 else {
            throw corrupt(
                "the moreWatchWeightItems section holds \(more.items.count) values, not whole tables of \(tableSize)")
        }
        let tables =
            [first]
            + stride(from: 0, to: more.items.count, by: tableSize).map { start in
                WatchTable(
                    items: UnsafeBufferPointer(rebasing: more.items[start..<(start + tableSize)]),
                    weights: UnsafeBufferPointer(rebasing: more.weights[start..<(start + tableSize)]))
            }
        let indices = try sections.requiredElements(.newPersonWatchTables, as: UInt32.self, count: RankingBlends.newPersonGroupCount)
        guard let outside = indices.first(where: { Int($0) >= tables.count }) else { return (tables, indices.map { Int($0) }) }
        throw corrupt("a new-person group uses watch-weight table \(outside), but the file has \(tables.count)")
    }

    /// The length of rows when `count` values hold `rows` equal rows.
    private static func rowLength(
        of count: Int, rows: Int, name: String,
        corrupt: (String) -> ModelFileError
    ) throws(ModelFileError) -> Int {
        guard rows > 0 else {
            guard count == 0 else { throw corrupt("the \(name) section holds \(count) values for no rows") }
            return 0
        }
        guard count % rows == 0 else { throw corrupt("the \(name) section holds \(count) values, not whole rows of \(rows)") }
        return count / rows
    }
}

extension RankingModelView {
    /// One table of new-person watch weights (`WatchWeights`): `itemCount × watchWeightsPerItem`
    /// target items, `-1` for an empty slot, and the weight of each slot.
    public struct WatchTable: @unchecked Sendable {
        /// The target item of each slot.
        public let items: UnsafeBufferPointer<Int32>
        /// The weight of each slot.
        public let weights: UnsafeBufferPointer<Float>

        init(items: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>) {
            self.items = items
            self.weights = weights
        }

        /// The table in sections `items` and `weights`, which must have equal lengths.
        init(sections: ModelFileSectionTable, items: ModelFileSectionKind, weights: ModelFileSectionKind) throws(ModelFileError) {
            let itemValues = try sections.requiredElements(items, as: Int32.self)
            self.init(items: itemValues, weights: try sections.requiredElements(weights, as: Float.self, count: itemValues.count))
        }
    }
}
