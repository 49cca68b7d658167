/// Maps external ids (user or movie ids from the files) to dense indices `0..<count` and back.
///
/// Dense indices address rows of contiguous factor matrices. Ids are kept sorted ascending,
/// so the index of an id is its rank, found by binary search, and the same ids always get
/// the same indices however the rows were ordered in the file.
public struct IdentifierIndex: Sendable, Equatable {
    /// The external ids, strictly ascending; position = dense index.
    public let identifiers: [Int32]

    /// An index over the distinct values of `identifiers`.
    public init<Identifiers: Sequence<Int32>>(collecting identifiers: Identifiers) {
        self.identifiers = Array(Set(identifiers)).sorted()
    }

    /// An index over ids that are already strictly ascending.
    public init(sortedUnique identifiers: [Int32]) {
        self.identifiers = identifiers
    }

    /// The number of ids.
    public var count: Int { identifiers.count }

    /// The dense index of `identifier`, or nil when it is not in the index.
    @inline(__always)
    public func index(of identifier: Int32) -> Int? {
        var low = 0, high = identifiers.count
        while low < high {
            let middle = (low + high) >> 1
            if identifiers[middle] < identifier { low = middle + 1 } else { high = middle }
        }
        return low < identifiers.count && identifiers[low] == identifier ? low : nil
    }

    /// A lookup table from id to dense index (-1 when absent), for hot loops over many rows.
    func denseLookupTable() -> [Int32] {
        guard let largest = identifiers.last, largest >= 0 else { return [] }
        var table = [Int32](repeating: -1, count: Int(largest) + 1)
        for (index, identifier) in identifiers.enumerated() where identifier >= 0 {
            table[Int(identifier)] = Int32(index)
        }
        return table
    }
}
