import Testing
@testable import RecCore

/// The movie search's ranking (`TitleSearch`) on the embedded MovieLens-1M catalogue with its
/// training rating counts, and on small indexes built for one rule.
struct TitleSearchTests {
    static let starWars: Set<Int32> = [260, 1196, 1210, 2628]

    private func fixture() throws -> TitleMatchingFixture { try TitleMatchingFixture.shared.get() }

    /// The movie search over `titles` with `counts`, items in array order.
    private func search(_ query: String, titles: [String], counts: [Int32], limit: Int = 10) -> [Int32] {
        let tables = TitleIndexBuilder.build(titles: titles, ratingCounts: counts)
        return tables.withView { view in
            counts.withUnsafeBufferPointer { counts in
                let words = TitleSearchIndex(index: view, itemCount: counts.count)
                return TitleSearch(words: words, matcher: TitleMatcher(index: view, ratingCounts: counts)).search(query, limit: limit)
                    .map(\.item)
            }
        }
    }

    @Test func aTitleBeingTypedFindsTheStarWarsFilmsMostRatedFirst() throws {
        let fixture = try fixture()
        for query in ["star wa", "Star W", "star wars", "STAR WARS:"] {
            let found = fixture.search(query)
            #expect(Set(found.prefix(4)) == Self.starWars, "\(query): \(found)")
            let counts = found.prefix(4).map(fixture.ratingCount)
            #expect(counts == counts.sorted(by: >), "\(query): equal matches come in order of ratings")
        }
        // Episodes V, IV, VI, then I, as their 2,844, 2,839, 2,730 and 2,138 training ratings order them.
        #expect(Array(fixture.search("star wa").prefix(4)) == [1196, 260, 1210, 2628])
        // Titles that have only `star` come after them.
        #expect(fixture.search("star wa").count == 10)
    }

    @Test func lordOfTheFindsTheLordOfTheRings() throws {
        let fixture = try fixture()
        let found = fixture.search("lord of the")
        // The two titles that begin with it, then the one that has it further in.
        #expect(Set(found.prefix(2)) == [2116, 3461], "\(found)")
        #expect(found[2] == 3838, "Phantasm III: Lord of the Dead")
        #expect(fixture.search("lord of the ri").first == 2116)
        #expect(fixture.search("the lord of the rings").first == 2116)
    }

    @Test(
        arguments: [
            ("godfater", [858, 1221, 2023]), ("star wras", [260, 1196, 1210, 2628]), ("shawshenk redemption", [318]),
            ("jurasic park", [480]), ("terminater", [1240, 589]), ("jurasi", [480, 1544]), ("the matirx", [2571]),
        ] as [(String, [Int32])])
    func misspellingsFindTheMovieMeant(query: String, expected: [Int32]) throws {
        let found = try fixture().search(query)
        #expect(Set(found.prefix(expected.count)) == Set(expected), "\(query): \(found)")
    }

    @Test func everyBeginningOfATitleFindsIt() throws {
        let fixture = try fixture()
        for (title, movieID) in [("the matrix", 2571), ("toy story", 1), ("schindlers list", 527), ("pulp fiction", 296)]
            as [(String, Int32)]
        {
            for length in 4...title.count {
                let typed = String(title.prefix(length))
                guard !typed.hasSuffix(" ") else { continue }
                #expect(fixture.search(typed, limit: 3).contains(movieID), "\(typed)")
            }
            #expect(fixture.search(title).first == movieID, "\(title)")
        }
    }

    @Test func theWholeTitleAndItsYearComeFirst() throws {
        let fixture = try fixture()
        // *Heat (1995)* is the whole title; *In the Heat of the Night* and the rest only have the word.
        #expect(fixture.search("heat").first == 6)
        #expect(fixture.search("hamlet 1948").first == 1941)
        #expect(fixture.search("hamlet").first == 1411, "five Hamlets: the most rated")
        #expect(fixture.search("godfather 2").first == 1221, "2 = ii")
    }

    @Test func equalMatchesAreOrderedByRatingsThenItem() {
        let titles = ["Alpha Beta (1990)", "Alpha Beta (1991)", "Gamma (1992)"]
        #expect(search("alpha", titles: titles, counts: [5, 9, 1]) == [1, 0])
        #expect(search("alpha", titles: titles, counts: [9, 5, 1]) == [0, 1])
        #expect(search("alpha", titles: titles, counts: [7, 7, 1]) == [0, 1], "equal ratings: the lower item")
        // A better match beats more ratings.
        #expect(search("alpha beta 1991", titles: titles, counts: [9, 5, 1]).first == 1)
    }

    @Test func theLimitIsKept() throws {
        let fixture = try fixture()
        for limit in [1, 3, 10, 50] {
            let found = fixture.search("the", limit: limit)
            #expect(found.count == limit)
            #expect(Set(found).count == found.count, "each movie once")
        }
        #expect(fixture.search("star wa", limit: 0).isEmpty)
        #expect(fixture.search("star wa", limit: 2) == Array(fixture.search("star wa").prefix(2)))
    }

    @Test(arguments: ["xqzzv blorf", "", "   ", "!!!", "😀", "qqqq zzzz xxxx"])
    func nothingCloseFindsNothing(query: String) throws {
        #expect(try fixture().search(query).isEmpty, "\(query)")
    }

    @Test func joinedWordsFallBackOnTheFuzzyMatch() throws {
        // No word is `xmen`; the title matcher's trigrams find *X-Men* (3793).
        #expect(try fixture().search("xmen").first == 3793)
    }

    @Test func anUnresolvedTitleIsSuggestedTheSearchsBest() throws {
        let fixture = try fixture()
        try fixture.withMatcher { matcher in
            let search = TitleSearch(words: fixture.words, matcher: matcher)
            for query in ["star wras", "Toy Stroy 9", "lord of the thing", "Shawshank Prison"] {
                guard case .notFound(let suggestions) = search.resolve(query) else {
                    Issue.record("\(query) resolved")
                    continue
                }
                #expect(suggestions == search.search(query, limit: TitleMatcher.suggestionLimit).map(\.item), "\(query)")
            }
            // What resolves is the matcher's answer, unchanged.
            for query in ["Lord of the Rings", "Toy Stroy", "xmen", "Heat (1995)"] {
                #expect(search.resolve(query) == matcher.resolve(query), "\(query)")
            }
            // The matcher alone suggests none of the Star Wars films for this typo; the search
            // suggests nothing else.
            guard case .notFound(let fuzzy) = matcher.resolve("star wras"), case .notFound(let suggested) = search.resolve("star wras")
            else { throw TitleSearchTestError.resolved }
            #expect(Set(fuzzy.map(fixture.movieID)).isDisjoint(with: Self.starWars), "\(fuzzy.map(fixture.title))")
            #expect(suggested.count == 3 && Set(suggested.map(fixture.movieID)).isSubset(of: Self.starWars))
        }
    }

    @Test func theIndexHoldsEveryKeyWordAndTheYears() throws {
        let fixture = try fixture()
        #expect(fixture.words.wordCount > 4000)
        #expect(fixture.words.postingCount >= fixture.tables.entries.count, "every key has a word")
        #expect(fixture.words.year(ofItem: Int(try #require(fixture.item(movieID: 260)))) == 1977)
        #expect(fixture.words.year(ofItem: -1) == nil)
        #expect(fixture.words.year(ofItem: fixture.catalog.movies.count) == nil)
    }

    @Test func aDamagedIndexGivesOnlyCatalogueItems() {
        var tables = TitleIndexBuilder.build(titles: ["Toy Story (1995)", "Heat (1995)", "Casino (1995)"], ratingCounts: [3, 2, 1])
        tables.entries[0].item = 99
        tables.entries[1].keyOffset = 1_000_000
        tables.entries[2].item = -5
        let counts: [Int32] = [3, 2, 1]
        tables.withView { view in
            counts.withUnsafeBufferPointer { counts in
                let search = TitleSearch(
                    words: TitleSearchIndex(index: view, itemCount: counts.count), matcher: TitleMatcher(index: view, ratingCounts: counts))
                for query in ["toy", "heat", "casino", "t", "1995", "toy story heat casino"] {
                    let found = search.search(query, limit: 10)
                    #expect(found.allSatisfy { (0..<3).contains($0.item) }, "\(query): \(found)")
                    #expect(Set(found.map(\.item)).count == found.count)
                }
            }
        }
    }
}

private enum TitleSearchTestError: Error { case resolved }
