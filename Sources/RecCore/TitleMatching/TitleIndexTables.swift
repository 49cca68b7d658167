/// One normalised title key of the title-match index, pointing at a movie.
///
/// A trivially copyable 16-byte record, so the index is stored in the model file as an
/// array and used in place from the memory map.
public struct TitleKeyEntry: Sendable, Equatable, BitwiseCopyable {
    /// Where the key's UTF-8 bytes start in `TitleIndexTables.keyBytes`.
    public var keyOffset: UInt32
    /// How many bytes the key has.
    public var keyLength: UInt32
    /// The dense item index of the movie the key belongs to.
    public var item: Int32
    /// What kind of key this is and the movie's year: a `TitleKeyKind.rawValue`.
    public var kind: UInt32

    /// Creates an entry.
    public init(keyOffset: UInt32, keyLength: UInt32, item: Int32, kind: UInt32) {
        self.keyOffset = keyOffset
        self.keyLength = keyLength
        self.item = item
        self.kind = kind
    }
}

/// The title-match index as owned arrays: what training builds and the model file stores.
///
/// `entries` are sorted by their key bytes, then by descending rating count, then by
/// ascending item index (see `TitleIndexBuilder`), so an exact lookup is a binary search
/// whose first hit is the answer, and needs no parsing when the index is memory-mapped.
///
/// The trigram postings list, for each character trigram of the keys (see `TitleTrigrams`),
/// the entries whose key contains it, so a fuzzy search reads only the entries that share
/// a trigram with the query. An index without postings still matches, only slower.
public struct TitleIndexTables: Sendable, Equatable {
    /// The concatenated UTF-8 bytes of every key.
    public var keyBytes: [UInt8]
    /// One entry per key, sorted by key.
    public var entries: [TitleKeyEntry]
    /// Every distinct trigram of the keys, ascending.
    public var trigrams: [UInt32]
    /// `trigrams.count + 1` ascending offsets into `trigramPostings`: the entries containing
    /// `trigrams[i]` are `trigramPostings[trigramPostingStarts[i]..<trigramPostingStarts[i + 1]]`.
    public var trigramPostingStarts: [UInt32]
    /// Positions in `entries`, ascending within each trigram.
    public var trigramPostings: [UInt32]

    /// Creates tables from their parts.
    public init(
        keyBytes: [UInt8], entries: [TitleKeyEntry],
        trigrams: [UInt32] = [], trigramPostingStarts: [UInt32] = [], trigramPostings: [UInt32] = []
    ) {
        self.keyBytes = keyBytes
        self.entries = entries
        self.trigrams = trigrams
        self.trigramPostingStarts = trigramPostingStarts
        self.trigramPostings = trigramPostings
    }

    /// Runs `body` with a view of these tables, valid only inside `body`.
    public func withView<Result>(_ body: (TitleIndexView) throws -> Result) rethrows -> Result {
        try keyBytes.withUnsafeBytes { keys in
            try entries.withUnsafeBufferPointer { entries in
                try trigrams.withUnsafeBufferPointer { trigrams in
                    try trigramPostingStarts.withUnsafeBufferPointer { starts in
                        try trigramPostings.withUnsafeBufferPointer { postings in
                            try body(
                                TitleIndexView(
                                    keyBytes: keys, entries: entries, trigrams: trigrams,
                                    trigramPostingStarts: starts, trigramPostings: postings))
                        }
                    }
                }
            }
        }
    }
}

/// A read-only view of a title-match index, over owned arrays or a memory-mapped model file.
///
/// The view does not own its memory: it is valid only while its owner (the tables or the
/// loaded model) is alive.
public struct TitleIndexView: @unchecked Sendable {
    /// The concatenated UTF-8 bytes of every key.
    public var keyBytes: UnsafeRawBufferPointer
    /// One entry per key, sorted by key.
    public var entries: UnsafeBufferPointer<TitleKeyEntry>
    /// Every distinct trigram of the keys, ascending.
    public var trigrams: UnsafeBufferPointer<UInt32>
    /// `trigrams.count + 1` ascending offsets into `trigramPostings`.
    public var trigramPostingStarts: UnsafeBufferPointer<UInt32>
    /// Positions in `entries`, grouped by trigram.
    public var trigramPostings: UnsafeBufferPointer<UInt32>

    /// Creates a view over the given memory; without postings, fuzzy matching reads every entry.
    public init(
        keyBytes: UnsafeRawBufferPointer, entries: UnsafeBufferPointer<TitleKeyEntry>,
        trigrams: UnsafeBufferPointer<UInt32> = UnsafeBufferPointer(start: nil, count: 0),
        trigramPostingStarts: UnsafeBufferPointer<UInt32> = UnsafeBufferPointer(start: nil, count: 0),
        trigramPostings: UnsafeBufferPointer<UInt32> = UnsafeBufferPointer(start: nil, count: 0)
    ) {
        self.keyBytes = keyBytes
        self.entries = entries
        self.trigrams = trigrams
        self.trigramPostingStarts = trigramPostingStarts
        self.trigramPostings = trigramPostings
    }

    /// The bytes of the key of `entry`, or an empty buffer if the entry points outside the keys.
    public func key(of entry: TitleKeyEntry) -> UnsafeRawBufferPointer {
        let start = Int(entry.keyOffset), length = Int(entry.keyLength)
        guard start <= keyBytes.count, length <= keyBytes.count - start else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: keyBytes[start..<(start + length)])
    }

    /// Whether the view has trigram postings that fit its trigram table.
    public var hasTrigramPostings: Bool {
        !trigrams.isEmpty && trigramPostingStarts.count == trigrams.count + 1
    }

    /// The entry positions listed for `trigram` (empty when it is not in the table), clipped
    /// to the postings so a corrupt offset cannot reach outside them.
    public func postings(of trigram: UInt32) -> UnsafeBufferPointer<UInt32> {
        guard hasTrigramPostings else { return UnsafeBufferPointer(start: nil, count: 0) }
        guard let position = trigrams.sortedPosition(of: trigram) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = min(Int(trigramPostingStarts[position]), trigramPostings.count)
        let end = min(max(Int(trigramPostingStarts[position + 1]), start), trigramPostings.count)
        return UnsafeBufferPointer(rebasing: trigramPostings[start..<end])
    }
}
