/// The denoising weights that score new people, as the model file stores them: one
/// `WatchWeights` table per distinct dropout that the groups of given ratings chose
/// (`RankingBlends.givenGroupLimits`), and the table each group uses.
///
/// How far a model should trust each given movie depends on how many a person gave: on the
/// design split, people who gave one to nine are served best with dropout 0.98, people who
/// gave twenty with 0.95 (`docs/accuracy.md`). `RankingBlendSearch` chooses each group's
/// dropout on the validation split, so a model has as many tables as distinct choices.
public struct NewPersonWatchWeights: Sendable, Equatable {
    /// The distinct tables, each with the same number of slots per movie. The first is the one
    /// sections 23 and 24 store, which a reader without the other tables uses for every group.
    public var tables: [NeighbourTable]
    /// The index in `tables` of each new-person group's table.
    public var tableOfGroup: [Int]

    /// Creates the weights from their tables and each group's table index.
    public init(tables: [NeighbourTable], tableOfGroup: [Int]) {
        precondition(!tables.isEmpty, "at least one watch-weight table")
        precondition(tableOfGroup.count == RankingBlends.newPersonGroupCount, "one table index per new-person group")
        precondition(tableOfGroup.allSatisfy { tables.indices.contains($0) }, "every table index names a table")
        self.tables = tables
        self.tableOfGroup = tableOfGroup
    }

    /// One table for every group.
    public init(single table: NeighbourTable) {
        self.init(tables: [table], tableOfGroup: Array(repeating: 0, count: RankingBlends.newPersonGroupCount))
    }

    /// The weights with `groupTables[g]` for group `g`, each distinct table stored once, in the
    /// order of the groups that first use it.
    public init(groupTables: [NeighbourTable]) {
        var tables: [NeighbourTable] = []
        let tableOfGroup = groupTables.map { table in
            if let index = tables.firstIndex(of: table) { return index }
            tables.append(table)
            return tables.count - 1
        }
        self.init(tables: tables, tableOfGroup: tableOfGroup)
    }

    /// The slots per movie, shared by every table.
    public var weightsPerItem: Int { tables[0].neighboursPerItem }
}
