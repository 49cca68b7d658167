/// Builds the title-match index of a catalogue at training time.
///
/// The entries are sorted by key bytes, then by descending rating count, then by ascending
/// item index, then by kind. So the first entry of a key's equal range is the movie an exact
/// match resolves to, and a lookup in the memory-mapped index needs no further ranking.
/// The trigram postings are built from the sorted entries.
public enum TitleIndexBuilder {
    /// The index of `titles`, where array position is the dense item index.
    ///
    /// `ratingCounts[item]` breaks ties between movies sharing a key; an item past the end of
    /// `ratingCounts` counts as unrated. Titles that normalise to nothing get no keys.
    public static func build(titles: [String], ratingCounts: [Int32]) -> TitleIndexTables {
        precondition(titles.count <= Int(Int32.max), "too many titles for 32-bit item indices")
        var keys: [[UInt8]] = []
        var items: [Int32] = []
        var kinds: [UInt32] = []
        for (item, title) in titles.enumerated() {
            for key in TitleNormalizer.indexKeyBytes(of: title) {
                keys.append(key.bytes)
                items.append(Int32(item))
                kinds.append(key.kind.rawValue)
            }
        }
        func ratingCount(_ item: Int32) -> Int32 {
            Int(item) < ratingCounts.count ? ratingCounts[Int(item)] : 0
        }
        let order = keys.indices.sorted { left, right in
            if keys[left] != keys[right] { return keys[left].lexicographicallyPrecedes(keys[right]) }
            let leftCount = ratingCount(items[left]), rightCount = ratingCount(items[right])
            if leftCount != rightCount { return leftCount > rightCount }
            if items[left] != items[right] { return items[left] < items[right] }
            return kinds[left] < kinds[right]
        }

        var keyBytes: [UInt8] = []
        var entries: [TitleKeyEntry] = []
        entries.reserveCapacity(order.count)
        var previous: (key: [UInt8], offset: UInt32)?
        for position in order {
            let key = keys[position]
            let offset: UInt32
            if let previous, previous.key == key {
                offset = previous.offset
            } else {
                precondition(keyBytes.count + key.count <= Int(UInt32.max), "title keys exceed 4 GiB")
                offset = UInt32(keyBytes.count)
                keyBytes.append(contentsOf: key)
                previous = (key, offset)
            }
            entries.append(TitleKeyEntry(keyOffset: offset, keyLength: UInt32(key.count), item: items[position], kind: kinds[position]))
        }
        let postings = trigramPostings(keyBytes: keyBytes, entries: entries)
        return TitleIndexTables(
            keyBytes: keyBytes, entries: entries, trigrams: postings.trigrams,
            trigramPostingStarts: postings.starts, trigramPostings: postings.positions)
    }

    /// For each distinct trigram of the keys, the ascending positions of the entries containing it.
    private static func trigramPostings(
        keyBytes: [UInt8], entries: [TitleKeyEntry]
    )
        -> (trigrams: [UInt32], starts: [UInt32], positions: [UInt32])
    {
        var pairs: [(trigram: UInt32, position: UInt32)] = []
        keyBytes.withUnsafeBytes { keyBytes in
            for (position, entry) in entries.enumerated() {
                let key = UnsafeRawBufferPointer(rebasing: keyBytes[Int(entry.keyOffset)..<Int(entry.keyOffset + entry.keyLength)])
                for trigram in TitleTrigrams.distinct(in: key) { pairs.append((trigram, UInt32(position))) }
            }
        }
        pairs.sort { $0.trigram != $1.trigram ? $0.trigram < $1.trigram : $0.position < $1.position }
        var trigrams: [UInt32] = [], starts: [UInt32] = [], positions: [UInt32] = []
        positions.reserveCapacity(pairs.count)
        for pair in pairs {
            if pair.trigram != trigrams.last {
                trigrams.append(pair.trigram)
                starts.append(UInt32(positions.count))
            }
            positions.append(pair.position)
        }
        starts.append(UInt32(positions.count))
        return (trigrams, starts, positions)
    }
}
