import RecCore
import Testing

struct TitleIndexBuilderTests {
    private static let titles = ["Hamlet (1948)", "Hamlet (1996)", "Hamlet (1990)", "Heat (1995)", "Lord of the Rings, The (1978)", "!!!"]
    private static let ratingCounts: [Int32] = [5, 50, 50, 10, 7, 3]
    private static let tables = TitleIndexBuilder.build(titles: titles, ratingCounts: ratingCounts)

    private func key(_ entry: TitleKeyEntry) -> String {
        let bytes = Self.tables.keyBytes[Int(entry.keyOffset)..<Int(entry.keyOffset + entry.keyLength)]
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func sortsEqualKeysByRatingCountThenItem() {
        let hamlets = Self.tables.entries.filter { key($0) == "hamlet" }
        #expect(hamlets.map(\.item) == [1, 2, 0])
        #expect(hamlets.map { TitleKeyKind(rawValue: $0.kind)?.year } == [1996, 1990, 1948])
        #expect(Set(hamlets.map(\.keyOffset)).count == 1, "equal keys share their bytes")
    }

    @Test func sortsEntriesByKeyBytes() {
        let keys = Self.tables.entries.map { Array(key($0).utf8) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { !$1.lexicographicallyPrecedes($0) })
        #expect(
            keys.map { String(decoding: $0, as: UTF8.self) }
                == ["hamlet", "hamlet", "hamlet", "heat", "lord of the rings", "the lord of the rings"])
    }

    @Test func storesEveryIndexKeyOfEveryTitle() {
        for (item, title) in Self.titles.enumerated() {
            let stored = Self.tables.entries.filter { $0.item == item }.map {
                TitleIndexKey(text: key($0), kind: TitleKeyKind(rawValue: $0.kind)!)
            }
            #expect(Set(stored) == Set(TitleNormalizer.indexKeys(of: title)), "\(title)")
        }
    }

    /// The postings, recomputed here from the format `TitleIndexTables` documents: each word
    /// padded as `␣␣word␣`, every 3-byte window packed big-endian.
    @Test func listsEveryEntryUnderEachTrigramOfItsKey() {
        var expected: [UInt32: [UInt32]] = [:]
        for (position, entry) in Self.tables.entries.enumerated() {
            var trigrams = Set<UInt32>()
            for word in key(entry).split(separator: " ") {
                let padded = Array("  \(word) ".utf8)
                for start in 0...(padded.count - 3) {
                    trigrams.insert(UInt32(padded[start]) << 16 | UInt32(padded[start + 1]) << 8 | UInt32(padded[start + 2]))
                }
            }
            for trigram in trigrams { expected[trigram, default: []].append(UInt32(position)) }
        }
        let tables = Self.tables
        #expect(tables.trigrams == expected.keys.sorted())
        #expect(tables.trigramPostingStarts.count == tables.trigrams.count + 1)
        for (index, trigram) in tables.trigrams.enumerated() {
            let postings = tables.trigramPostings[Int(tables.trigramPostingStarts[index])..<Int(tables.trigramPostingStarts[index + 1])]
            #expect(Array(postings) == expected[trigram])
        }
    }

    @Test func treatsMissingRatingCountsAsUnrated() {
        let tables = TitleIndexBuilder.build(titles: ["Hamlet (1948)", "Hamlet (1996)"], ratingCounts: [1])
        #expect(tables.entries.map(\.item) == [0, 1])
    }

    @Test func buildsAnEmptyIndexFromNoTitles() {
        let tables = TitleIndexBuilder.build(titles: [], ratingCounts: [])
        #expect(tables.entries.isEmpty && tables.keyBytes.isEmpty && tables.trigrams.isEmpty && tables.trigramPostings.isEmpty)
    }
}
