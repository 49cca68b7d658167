/// Each movie's most similar movies, precomputed at training time.
public struct NeighbourTable: Sendable, Equatable {
    /// How many neighbour slots each movie has.
    public var neighboursPerItem: Int
    /// `itemCount × neighboursPerItem` item indices, most similar first; `-1` marks an empty slot.
    public var items: [Int32]
    /// The similarity of each slot, descending within a movie; 0 for an empty slot.
    public var similarities: [Float]

    /// Creates a table; both arrays must hold `itemCount × neighboursPerItem` values.
    public init(neighboursPerItem: Int, items: [Int32], similarities: [Float]) {
        precondition(items.count == similarities.count, "neighbour arrays must have equal lengths")
        precondition(
            neighboursPerItem == 0 ? items.isEmpty : items.count % neighboursPerItem == 0,
            "neighbour arrays must hold whole rows")
        self.neighboursPerItem = neighboursPerItem
        self.items = items
        self.similarities = similarities
    }

    /// A table with no neighbours.
    public static let empty = NeighbourTable(neighboursPerItem: 0, items: [], similarities: [])
}
