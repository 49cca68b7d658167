import FuzzSupport
import RecCore

/// libFuzzer target: `TitleMatcher` and the movie search (`TitleSearch`) on arbitrary
/// queries, over the title index of the committed MovieLens-100k catalogue (1,682 titles,
/// rating counts from `u1.base`).
///
/// The input's first line is the query given to `resolve`, `suggestions` and `search`; the rest is
/// scored as a normalised key with `TitleMatcher.fuzzyScore`, against a year taken from the
/// first byte. Bytes that are not UTF-8 are repaired, as a `String` from a request would be.
///
/// Beyond "never crashes", it checks the documented contract: answers name items of the
/// catalogue; a fuzzy resolution scores at least `fuzzyThreshold`; suggestions are at most
/// `limit` distinct items, each scoring from `suggestionThreshold` to 1, best first; a search
/// lists at most `limit` distinct items; and a fuzzy score is within 0...1.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTitleMatcher(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? size
    let query = String(decoding: bytes[..<newline], as: UTF8.self)
    let key = newline < size ? String(decoding: bytes[(newline + 1)...], as: UTF8.self) : ""
    let fixture = MatcherFixture.shared
    let itemCount = fixture.ratingCounts.count

    fixture.withMatcher { matcher in
        switch matcher.resolve(query) {
        case .exact(let item):
            FuzzSupport.require(item >= 0 && Int(item) < itemCount, "exact item \(item)")
        case .fuzzy(let item, let score):
            FuzzSupport.require(item >= 0 && Int(item) < itemCount, "fuzzy item \(item)")
            FuzzSupport.require(score >= TitleMatcher.fuzzyThreshold && score <= 1, "fuzzy score \(score)")
        case .notFound(let suggestions):
            FuzzSupport.require(suggestions.count <= TitleMatcher.suggestionLimit, "\(suggestions.count) suggestions")
            FuzzSupport.require(suggestions.allSatisfy { $0 >= 0 && Int($0) < itemCount }, "suggested items \(suggestions)")
        }

        let limit = size == 0 ? TitleMatcher.suggestionLimit : Int(bytes[0] % 8)
        let suggestions = matcher.suggestions(for: query, limit: limit)
        FuzzSupport.require(suggestions.count <= limit, "\(suggestions.count) suggestions for a limit of \(limit)")
        FuzzSupport.require(Set(suggestions.map(\.item)).count == suggestions.count, "a movie suggested twice: \(suggestions)")
        for (index, suggestion) in suggestions.enumerated() {
            FuzzSupport.require(suggestion.item >= 0 && Int(suggestion.item) < itemCount, "suggested item \(suggestion.item)")
            FuzzSupport.require(
                suggestion.score >= TitleMatcher.suggestionThreshold && suggestion.score <= 1, "suggestion score \(suggestion.score)")
            FuzzSupport.require(index == 0 || suggestions[index - 1].score >= suggestion.score, "suggestions out of order: \(suggestions)")
        }

        let found = TitleSearch(words: fixture.words, matcher: matcher).search(query, limit: limit)
        FuzzSupport.require(found.count <= limit, "\(found.count) search results for a limit of \(limit)")
        FuzzSupport.require(Set(found.map(\.item)).count == found.count, "a movie found twice: \(found)")
        FuzzSupport.require(found.allSatisfy { $0.item >= 0 && Int($0.item) < itemCount }, "found items \(found)")
    }

    let keyYear: Int? = size == 0 || bytes[0] < 16 ? nil : 1880 + Int(bytes[0])
    let score = TitleMatcher.fuzzyScore(of: query, againstKey: key, keyYear: keyYear)
    FuzzSupport.require(score >= 0 && score <= 1, "fuzzy score \(score) of \(query.debugDescription) against \(key.debugDescription)")
    return 0
}

/// The index of the committed MovieLens-100k catalogue, built once per process.
private final class MatcherFixture: Sendable {
    static let shared = MatcherFixture()

    let tables: TitleIndexTables
    let ratingCounts: [Int32]
    let words: TitleSearchIndex

    private init() {
        let folder = FuzzSupport.repositoryRoot + "/Tests/Fixtures/ml-100k-u1"
        do {
            let catalog = try MovieCatalog.load(path: folder + "/u.item")
            let ratings = try RatingsFileParser.load(path: folder + "/u1.base")
            var itemOfMovie: [Int32: Int] = [:]
            for (item, movie) in catalog.movies.enumerated() { itemOfMovie[movie.id] = item }
            var counts = [Int32](repeating: 0, count: catalog.movies.count)
            for movieID in ratings.movieIDs {
                if let item = itemOfMovie[movieID] { counts[item] += 1 }
            }
            ratingCounts = counts
            tables = TitleIndexBuilder.build(titles: catalog.movies.map(\.title), ratingCounts: counts)
            words = tables.withView { TitleSearchIndex(index: $0, itemCount: counts.count) }
        } catch {
            fatalError("the title matcher target needs the committed MovieLens-100k fixture: \(error)")
        }
    }

    func withMatcher(_ body: (TitleMatcher) -> Void) {
        tables.withView { view in
            ratingCounts.withUnsafeBufferPointer { counts in body(TitleMatcher(index: view, ratingCounts: counts)) }
        }
    }
}
