import RecCore
import Testing

/// The fuzzy search prunes with upper bounds and trigram postings; these tests check it ranks
/// exactly as scoring every key of every movie would.
struct TitleMatcherSearchTests {
    /// Every third movie of the catalogue (scoring every key of the whole catalogue for each
    /// query takes too long in a debug build), with its own index.
    private struct Sample {
        let movies: [Movie]
        let ratingCounts: [Int32]
        let tables: TitleIndexTables

        init(_ fixture: TitleMatchingFixture) {
            let items = fixture.catalog.movies.indices.filter { $0 % 3 == 0 }
            movies = items.map { fixture.catalog.movies[$0] }
            ratingCounts = items.map { fixture.ratingCounts[$0] }
            tables = TitleIndexBuilder.build(titles: movies.map(\.title), ratingCounts: ratingCounts)
        }

        func withMatcher<Result>(_ body: (TitleMatcher) -> Result) -> Result {
            tables.withView { view in ratingCounts.withUnsafeBufferPointer { body(TitleMatcher(index: view, ratingCounts: $0)) } }
        }

        /// The ranking from scoring every index key of every movie with `TitleMatcher.fuzzyScore`.
        func bruteForceSuggestions(_ query: String, limit: Int) -> [TitleSuggestion] {
            var best: [TitleSuggestion] = []
            for (item, movie) in movies.enumerated() {
                let score =
                    TitleNormalizer.indexKeys(of: movie.title)
                    .map { TitleMatcher.fuzzyScore(of: query, againstKey: $0.text, keyYear: $0.kind.year) }.max() ?? 0
                if score >= TitleMatcher.suggestionThreshold { best.append(TitleSuggestion(item: Int32(item), score: score)) }
            }
            best.sort { left, right in
                if left.score != right.score { return left.score > right.score }
                let leftCount = ratingCounts[Int(left.item)], rightCount = ratingCounts[Int(right.item)]
                return leftCount != rightCount ? leftCount > rightCount : left.item < right.item
            }
            return Array(best.prefix(limit))
        }
    }

    /// Typos of every 50th sampled title (two letters of its longest word swapped, or one
    /// dropped), and queries that match weakly, ambiguously or not at all.
    private static func queries(_ movies: [Movie]) -> [String] {
        var queries = [
            "the lord of the thing", "Godfather 2", "Star Wars", "love", "it", "Shawshank Prison", "xqzzv blorf",
            "Toy Story (1990)", "Hamlet (1995)", "x men", "a", "the", "Star Wars: Episode IV", "Toy Stroy",
        ]
        for (index, movie) in movies.enumerated() where index % 50 == 0 {
            var words = TitleNormalizer.normalize(movie.title).split(separator: " ").map { Array($0) }
            guard let longest = words.indices.max(by: { words[$0].count < words[$1].count }), words[longest].count >= 3 else { continue }
            if index % 100 == 0 {
                words[longest].swapAt(1, 2)
            } else {
                words[longest].remove(at: words[longest].count / 2)
            }
            queries.append(words.map { String($0) }.joined(separator: " "))
        }
        return queries
    }

    @Test func ranksLikeScoringEveryKey() throws {
        let sample = Sample(try TitleMatchingFixture.shared.get())
        let queries = Self.queries(sample.movies)
        #expect(queries.count >= 35)
        for query in queries {
            let expected = sample.bruteForceSuggestions(query, limit: 5)
            #expect(sample.withMatcher { $0.suggestions(for: query, limit: 5) } == expected, "\(query)")
            switch sample.withMatcher({ $0.resolve(query) }) {
            case .exact:
                #expect(expected.first?.score == 1, "\(query)")
            case .fuzzy(let item, let score):
                #expect(expected.first == TitleSuggestion(item: item, score: score), "\(query)")
            case .notFound(let suggestions):
                #expect(expected.first.map { $0.score < TitleMatcher.fuzzyThreshold } ?? true, "\(query)")
                #expect(suggestions == expected.prefix(TitleMatcher.suggestionLimit).map(\.item), "\(query)")
            }
        }
    }

    @Test func answersTheSameWithoutTrigramPostings() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let withoutPostings = TitleIndexTables(keyBytes: fixture.tables.keyBytes, entries: fixture.tables.entries)
        for query in Self.queries(fixture.catalog.movies) {
            let (resolution, suggestions) = withoutPostings.withView { view in
                fixture.ratingCounts.withUnsafeBufferPointer { counts in
                    let matcher = TitleMatcher(index: view, ratingCounts: counts)
                    return (matcher.resolve(query), matcher.suggestions(for: query, limit: 5))
                }
            }
            #expect(resolution == fixture.resolve(query), "\(query)")
            #expect(suggestions == fixture.withMatcher { $0.suggestions(for: query, limit: 5) }, "\(query)")
        }
    }

    @Test func scoresByTheDocumentedFormula() {
        #expect(TitleMatcher.fuzzyScore(of: "Toy Story", againstKey: "toy story", keyYear: 1995) == 1)
        #expect(TitleMatcher.fuzzyScore(of: "xmen", againstKey: "x men", keyYear: 2000) == 1)
        #expect(TitleMatcher.fuzzyScore(of: "xqzzv", againstKey: "toy story", keyYear: 1995) == 0)
        #expect(abs(TitleMatcher.fuzzyScore(of: "Toy Story (1990)", againstKey: "toy story", keyYear: 1995) - 0.9) < 1e-12)
        #expect(abs(TitleMatcher.fuzzyScore(of: "Toy Story (1975)", againstKey: "toy story", keyYear: 1995) - 0.8) < 1e-12)
        #expect(abs(TitleMatcher.fuzzyScore(of: "Toy Story (1995)", againstKey: "toy story", keyYear: nil) - 0.8) < 1e-12)
        // "toy stroy" against "toy story": both coverages (1 + 0.8) / 2 = 0.9 (one swap), and
        // 6 of the 10 + 10 padded trigrams shared: 0.5 × 0.9 + 0.2 × 0.9 + 0.3 × 12/20.
        #expect(abs(TitleMatcher.fuzzyScore(of: "Toy Stroy", againstKey: "toy story", keyYear: 1995) - 0.81) < 1e-12)
        // A number the key lacks costs 0.15: coverages 2/3 and 1, 10 of 12 + 10 trigrams shared.
        #expect(
            abs(
                TitleMatcher.fuzzyScore(of: "Toy Story 3", againstKey: "toy story", keyYear: 1995)
                    - (0.5 * 2 / 3 + 0.2 + 0.3 * 20 / 22 - 0.15)) < 1e-12)
        #expect(TitleMatcher.fuzzyScore(of: "Rocky 4", againstKey: "rocky iv", keyYear: 1985) > 0.9)
        // "the" is a stop word: no query coverage; "them" is covered by the prefix "the" (0.9).
        #expect(abs(TitleMatcher.fuzzyScore(of: "the", againstKey: "them", keyYear: 1954) - (0.2 * 0.9 + 0.3 * 6 / 9)) < 1e-12)
    }
}
