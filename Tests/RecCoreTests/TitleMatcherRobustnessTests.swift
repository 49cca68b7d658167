import RecCore
import Testing

/// The matcher answers any query, over any index, without crashing: at worst it finds nothing.
struct TitleMatcherRobustnessTests {
    private static let hostileQueries = [
        "", " ", "\t\n", "!!!", "😀", "👩‍👩‍👧‍👦🎬", "\u{301}", String(repeating: "\u{301}", count: 1000), "\0\0", "\u{FEFF}Toy Story",
        String(repeating: "a", count: 100_000), String(repeating: "the ", count: 10_000), String(repeating: "toy story ", count: 500),
        String(repeating: "(", count: 600) + "Toy Story", "Toy Story" + String(repeating: ")", count: 600),
        "東京物語", "Тоска", "עברית", "&#0;", "&#x110000;", "&#99999999999;", "&#", "&#x;", "(1995)", "1995", "Heat (99999)",
        String(repeating: "abcdefghijklmnopqrstuvwxyz", count: 40), "a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3",
    ]

    private func expectSane(_ resolution: TitleResolution, itemCount: Int, _ query: String) {
        switch resolution {
        case .exact(let item):
            #expect((0..<Int32(itemCount)).contains(item), "\(query.prefix(40))")
        case .fuzzy(let item, let score):
            #expect((0..<Int32(itemCount)).contains(item), "\(query.prefix(40))")
            #expect(score >= TitleMatcher.fuzzyThreshold && score <= 1)
        case .notFound(let suggestions):
            #expect(suggestions.count <= TitleMatcher.suggestionLimit)
            #expect(Set(suggestions).count == suggestions.count)
            #expect(suggestions.allSatisfy { (0..<Int32(itemCount)).contains($0) }, "\(query.prefix(40))")
        }
    }

    @Test func answersHostileQueries() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        for query in Self.hostileQueries {
            expectSane(fixture.resolve(query), itemCount: fixture.ratingCounts.count, query)
            let suggestions = fixture.withMatcher { $0.suggestions(for: query, limit: 7) }
            #expect(suggestions.count <= 7)
            #expect(suggestions.allSatisfy { $0.score >= TitleMatcher.suggestionThreshold && $0.score <= 1 })
        }
        #expect(fixture.resolve(String(repeating: "toy story ", count: 500)) != .notFound(suggestions: []))
    }

    @Test func answersOverAnEmptyIndex() {
        let tables = TitleIndexBuilder.build(titles: [], ratingCounts: [])
        tables.withView { view in
            let matcher = TitleMatcher(index: view, ratingCounts: UnsafeBufferPointer(start: nil, count: 0))
            for query in ["Toy Story", "", "xmen"] {
                #expect(matcher.resolve(query) == .notFound(suggestions: []))
            }
        }
    }

    /// Every field of the index is overwritten with values a damaged model file could hold.
    @Test(arguments: 0..<6)
    func answersOverACorruptIndex(damage: Int) {
        let titles = ["Toy Story (1995)", "Heat (1995)", "Hamlet (1948)", "Hamlet (1996)", "Lord of the Rings, The (1978)"]
        let ratingCounts: [Int32] = [10, 9, 8, 7, 6]
        var tables = TitleIndexBuilder.build(titles: titles, ratingCounts: ratingCounts)
        var random = SeededRandomNumberGenerator(seed: UInt64(damage))
        switch damage {
        case 0: // keys pointing anywhere
            for index in tables.entries.indices {
                tables.entries[index].keyOffset = UInt32(truncatingIfNeeded: random.next())
                tables.entries[index].keyLength = UInt32(truncatingIfNeeded: random.next())
            }
        case 1: // items out of range and unsorted entries
            for index in tables.entries.indices {
                tables.entries[index].item = Int32(truncatingIfNeeded: random.next())
                tables.entries[index].kind = UInt32(truncatingIfNeeded: random.next())
            }
            tables.entries.reverse()
        case 2: // key bytes that are not normalised text, not even UTF-8
            tables.keyBytes = tables.keyBytes.map { _ in UInt8(truncatingIfNeeded: random.next() % 4 == 0 ? 0x20 : random.next()) }
        case 3: // postings pointing outside the entries, offsets out of order and out of range
            tables.trigramPostings = tables.trigramPostings.map { _ in UInt32(truncatingIfNeeded: random.next()) }
            tables.trigramPostingStarts = tables.trigramPostingStarts.map { _ in UInt32(truncatingIfNeeded: random.next()) }
        case 4: // postings whose table sizes disagree
            tables.trigramPostingStarts.removeLast(3)
        default: // one key with every entry on it, thousands of times over
            let posting = [UInt32](repeating: 0, count: 70_000)
            tables.trigramPostings += posting
            tables.trigramPostingStarts = tables.trigramPostingStarts.map { _ in UInt32(tables.trigramPostings.count) }
            tables.trigramPostingStarts[0] = UInt32(tables.trigramPostings.count - posting.count)
        }
        tables.withView { view in
            ratingCounts.withUnsafeBufferPointer { counts in
                let matcher = TitleMatcher(index: view, ratingCounts: counts)
                for query in ["Toy Story", "Hamlet", "hamlet 1948", "Lord of the Ring", "Heat", "xqzzv"] + Self.hostileQueries.prefix(12) {
                    expectSane(matcher.resolve(query), itemCount: counts.count, query)
                    #expect(matcher.suggestions(for: query).allSatisfy { (0..<Int32(counts.count)).contains($0.item) })
                }
            }
        }
    }
}
