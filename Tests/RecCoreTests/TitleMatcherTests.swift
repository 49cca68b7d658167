import RecCore
import Testing

/// The SPEC's title-matching examples and the documented behaviour, on the embedded catalogue.
struct TitleMatcherTests {
    private enum Match: Sendable {
        case exact, fuzzy
    }

    @Test(arguments: [
        ("Lord of the Rings", 2116), ("The Lord of the Rings", 2116), ("toy story", 1), ("Mad Max 2 (a.k.a. The Road Warrior)", 3703),
        ("The Road Warrior", 3703), ("Heat (1995)", 6), ("heat 1995", 6), ("Star Wars: Episode IV - A New Hope", 260),
        ("Shawshank Redemption", 318), ("The Matrix", 2571), ("Misérables, Les (1995)", 73), ("les misérables (1995)", 73),
        ("Les Miserables (1998)", 1873), ("Hamlet (1948)", 1941), ("Schindler’s List", 527), ("LA Confidential", 1617),
        ("Hard Eight", 2952), ("Se7en", 47), ("Enfer", 264), ("L'Enfer", 264), ("Et Dieu Créa la Femme", 3845),
        ("jungle2jungle", 1474), ("Jungle 2 Jungle", 1474), ("Airport 1975", 2521), ("Blues Brothers 2000", 1772),
        ("Fantasia 2000 (1999)", 3159), ("2010", 2311),
    ])
    func resolvesExactly(query: String, movieID: Int32) throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let item = try #require(fixture.item(movieID: movieID))
        #expect(fixture.resolve(query) == .exact(item: item))
        #expect(fixture.withMatcher { $0.suggestions(for: query, limit: 10) }.contains(TitleSuggestion(item: item, score: 1)))
    }

    /// The fuzzy examples of `docs/title-matching.md`, with their scores to three decimals.
    @Test(
        arguments: [
            ("Star Wars: Episode IV", 260, 0.871), ("Toy Stroy", 1, 0.810), ("Toy Story (1990)", 1, 0.900),
            ("Road Warrior", 3703, 0.960), ("Hamlet (1995)", 1411, 0.940), ("Godfather 2", 1221, 0.833), ("Rocky 4", 2411, 0.912),
            ("Die Hard II", 1370, 0.935), ("xmen", 3793, 1.000), ("Alien 3", 1320, 1.000), ("Jurasic Park", 480, 0.897),
            ("Pulp Fictoin", 296, 0.838), ("Silence of Lambs", 593, 0.968), ("Return of the Jedi", 1210, 0.760),
            ("Shawshank", 318, 0.794), ("Star Wars", 260, 0.710), ("Lord of the Rings (2001)", 2116, 0.800), ("love", 1010, 0.814),
        ] as [(String, Int32, Double)])
    func resolvesFuzzily(query: String, movieID: Int32, score expectedScore: Double) throws {
        let fixture = try TitleMatchingFixture.shared.get()
        guard case .fuzzy(let item, let score) = fixture.resolve(query) else {
            Issue.record("\(query) did not resolve fuzzily: \(fixture.resolve(query))")
            return
        }
        #expect(fixture.movieID(item: item) == movieID)
        #expect(abs(score - expectedScore) < 0.0005, "\(query): \(score)")
    }

    @Test func resolvesATitleSharedByRemakesToTheMostRated() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let hamlets = fixture.catalog.movies.indices.filter { fixture.catalog.movies[$0].title.hasPrefix("Hamlet (") }
        #expect(hamlets.count == 5)
        let mostRated = try #require(hamlets.max { fixture.ratingCounts[$0] < fixture.ratingCounts[$1] })
        #expect(fixture.resolve("Hamlet") == .exact(item: Int32(mostRated)))
        #expect(fixture.movieID(item: Int32(mostRated)) == 1411)

        let miserables = try [73, 1873].map { try #require(fixture.item(movieID: $0)) }
        let moreRated = fixture.ratingCounts[Int(miserables[0])] > fixture.ratingCounts[Int(miserables[1])] ? miserables[0] : miserables[1]
        for query in ["Misérables, Les", "Les Miserables", "les misérables"] {
            #expect(fixture.resolve(query) == .exact(item: moreRated))
        }
    }

    @Test func suggestsWhatComesCloseWhenNothingMatches() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        guard case .notFound(let suggestions) = fixture.resolve("Shawshank Prison") else {
            Issue.record("expected no match")
            return
        }
        #expect(suggestions.count == TitleMatcher.suggestionLimit)
        #expect(suggestions.first.map(fixture.movieID) == 318)
        #expect(fixture.resolve("xqzzv blorf") == .notFound(suggestions: []))
        #expect(fixture.resolve("the") == .notFound(suggestions: []))
        #expect(fixture.resolve("") == .notFound(suggestions: []))
    }

    @Test func ranksSuggestionsByScoreThenRatings() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let suggestions = fixture.withMatcher { $0.suggestions(for: "Hamlet", limit: 10) }
        #expect(suggestions.count == 5)
        #expect(suggestions.allSatisfy { $0.score == 1 })
        let counts = suggestions.map { fixture.ratingCounts[Int($0.item)] }
        #expect(counts == counts.sorted(by: >))
        #expect(fixture.withMatcher { $0.suggestions(for: "Hamlet", limit: 2) } == Array(suggestions.prefix(2)))
        #expect(fixture.withMatcher { $0.suggestions(for: "Hamlet", limit: 0) }.isEmpty)

        let typo = fixture.withMatcher { $0.suggestions(for: "Toy Stroy") }
        #expect(typo.map { fixture.movieID(item: $0.item) } == [1, 3114, 2253])
        #expect(zip(typo, typo.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    /// Pasting any catalogue title finds that movie, even where another movie has the same
    /// key and year as an alternate title and more ratings: MovieLens lists *Der Bewegte Mann*
    /// (811) again as the alternate title of *Maybe, Maybe Not* (860), and *El Callejón de los
    /// milagros* (1795) as that of *Midaq Alley* (1741). Only a movie whose own title is
    /// another's may resolve to that other, more rated one.
    @Test func resolvesEveryCatalogueTitleToItselfBeforeAnAlternateTitle() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        for (item, movie) in fixture.catalog.movies.enumerated() {
            guard case .exact(let resolved) = fixture.resolve(movie.title) else {
                Issue.record("\(movie.title) did not resolve exactly")
                continue
            }
            guard resolved != item else { continue }
            let mainKey = TitleNormalizer.indexKeys(of: movie.title).first
            let twinMainKey = TitleNormalizer.indexKeys(of: fixture.title(item: resolved)).first
            #expect(
                mainKey?.text == twinMainKey?.text && mainKey?.kind.year == twinMainKey?.kind.year,
                "\(movie.title) resolved to \(fixture.title(item: resolved))")
            #expect(fixture.ratingCounts[Int(resolved)] >= fixture.ratingCounts[item])
        }
        #expect(fixture.resolve("Bewegte Mann, Der (1994)") == fixture.item(movieID: 811).map { .exact(item: $0) })
        #expect(fixture.resolve("Callejón de los milagros, El (1995)") == fixture.item(movieID: 1795).map { .exact(item: $0) })
        // The alternate title alone still finds a movie that has it.
        #expect(fixture.resolve("Midaq Alley (1995)") == fixture.item(movieID: 1741).map { .exact(item: $0) })
    }

    @Test func givesTheSameAnswerEveryTime() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let rebuilt = TitleIndexBuilder.build(titles: fixture.catalog.movies.map(\.title), ratingCounts: fixture.ratingCounts)
        #expect(rebuilt == fixture.tables)
        for query in ["Hamlet", "Toy Stroy", "Star Wars", "Shawshank Prison", "love"] {
            #expect(fixture.resolve(query) == fixture.resolve(query))
        }
    }
}
