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
    /// What kind of key this is (see `TitleKeyKind`).
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
/// `entries` are sorted by their key bytes (then as the builder documents), so an exact
/// lookup is a binary search and needs no parsing when the index is memory-mapped.
public struct TitleIndexTables: Sendable, Equatable {
    /// The concatenated UTF-8 bytes of every key.
    public var keyBytes: [UInt8]
    /// One entry per key, sorted by key.
    public var entries: [TitleKeyEntry]

    /// Creates tables from their parts.
    public init(keyBytes: [UInt8], entries: [TitleKeyEntry]) {
        self.keyBytes = keyBytes
        self.entries = entries
    }

    /// Runs `body` with a view of these tables, valid only inside `body`.
    public func withView<Result>(_ body: (TitleIndexView) throws -> Result) rethrows -> Result {
        try keyBytes.withUnsafeBytes { keys in
            try entries.withUnsafeBufferPointer { entries in
                try body(TitleIndexView(keyBytes: keys, entries: entries))
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

    /// Creates a view over the given memory.
    public init(keyBytes: UnsafeRawBufferPointer, entries: UnsafeBufferPointer<TitleKeyEntry>) {
        self.keyBytes = keyBytes
        self.entries = entries
    }

    /// The bytes of the key of `entry`, or an empty buffer if the entry points outside the keys.
    public func key(of entry: TitleKeyEntry) -> UnsafeRawBufferPointer {
        let start = Int(entry.keyOffset), length = Int(entry.keyLength)
        guard start <= keyBytes.count, length <= keyBytes.count - start else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: keyBytes[start..<(start + length)])
    }
}
