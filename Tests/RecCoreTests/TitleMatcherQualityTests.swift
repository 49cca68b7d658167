import RecCore
import Testing

/// How well the fuzzy threshold separates typos of real titles from queries for films the
/// catalogue does not have; the figures are the ones `docs/title-matching.md` reports.
struct TitleMatcherQualityTests {
    /// One typo per catalogue title: the two middle letters of its first word of 5 or more
    /// letters swapped (titles without such a word, or where the swap changes nothing, are
    /// left out).
    private static func typos(_ fixture: TitleMatchingFixture) -> [(query: String, item: Int32, key: String)] {
        fixture.catalog.movies.enumerated().compactMap { item, movie in
            guard let key = TitleNormalizer.indexKeys(of: movie.title).first?.text else { return nil }
            var words = key.split(separator: " ").map { Array($0.utf8) }
            guard let index = words.firstIndex(where: { $0.count >= 5 }) else { return nil }
            let middle = words[index].count / 2
            guard words[index][middle - 1] != words[index][middle] else { return nil }
            words[index].swapAt(middle - 1, middle)
            return (words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "), Int32(item), key)
        }
    }

    @Test func resolvesTyposOfRealTitles() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        var right = 0, wrong = 0, notFound = 0, suggestedFirst = 0
        for typo in Self.typos(fixture) {
            // A movie sharing the key is as right as the one the typo was made from.
            func isRight(_ item: Int32) -> Bool {
                item == typo.item || TitleNormalizer.indexKeys(of: fixture.title(item: item)).contains { $0.text == typo.key }
            }
            switch fixture.resolve(typo.query) {
            case .exact(let item), .fuzzy(let item, _):
                if isRight(item) { right += 1 } else { wrong += 1 }
            case .notFound(let suggestions):
                notFound += 1
                if suggestions.first.map(isRight) == true { suggestedFirst += 1 }
            }
        }
        let summary = "right \(right), wrong \(wrong), not found \(notFound) (right movie suggested first: \(suggestedFirst))"
        #expect(right + wrong + notFound == 3230)
        #expect(right >= 3030, "\(summary)")
        #expect(wrong <= 5, "\(summary)")
        #expect(suggestedFirst >= 185, "\(summary)")
    }

    @Test func rarelyResolvesRandomLetters() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var resolved: [String] = []
        for _ in 0..<1000 {
            let length = 3 + Int(next() % 10)
            let query = String(String.UnicodeScalarView((0..<length).map { _ in Unicode.Scalar(UInt8(97 + next() % 26)) }))
            if fixture.resolve(query).item != nil { resolved.append(query) }
        }
        #expect(resolved.count <= 6, "\(resolved)")
    }

    /// Films from after MovieLens-1M's catalogue: none may resolve, except the two below.
    @Test func doesNotResolveFilmsTheCatalogueLacks() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let absent = [
            "Spider-Man", "The Dark Knight", "Inception", "Avatar", "Shrek", "Frozen", "Harry Potter and the Sorcerer's Stone",
            "Finding Nemo", "The Departed", "Cars", "Amelie", "Pirates of the Caribbean", "Kill Bill", "The Notebook", "Titanic 2",
            "Toy Story 3", "Matrix Reloaded", "Star Wars: Episode VII", "Batman Begins", "Casino Royale", "Mean Girls", "Zoolander",
            "Donnie Darko", "Oceans Eleven", "Training Day", "The Others", "Monsters Inc", "Ice Age", "Gladiator 2", "Memento",
            "Heat 2", "Moulin Rouge", "Black Hawk Down", "Minority Report", "Signs", "Chicago", "Gangs of New York", "Terminator 3",
        ]
        for query in absent {
            #expect(fixture.resolve(query).item == nil, "\(query) → \(fixture.resolve(query).item.map(fixture.title) ?? "")")
        }
        // The known exceptions: every word of the query is in these titles.
        #expect(fixture.resolve("Up").item.map(fixture.movieID) == 3077)
        #expect(fixture.resolve("Lord of the Rings: The Fellowship of the Ring").item.map(fixture.movieID) == 2116)
    }

    @Test func suggestsTheOriginalForASequelItLacks() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        for (query, original) in [("Toy Story 3", 1), ("Gladiator 2", 3578), ("Heat 2", 6), ("Terminator 3", 1240)] as [(String, Int32)] {
            guard case .notFound(let suggestions) = fixture.resolve(query) else {
                Issue.record("\(query) resolved to \(fixture.resolve(query))")
                continue
            }
            #expect(suggestions.first.map(fixture.movieID) == original, "\(query)")
        }
    }
}
