import Foundation
import RecCore
import Testing

/// Per-query latency of the movie search on the embedded catalogue, and the time to build its
/// word index. Like `TitleMatcherBenchmarkTests`, it runs only when asked, on a release build:
///
///     REC_BENCHMARK=1 swift test -c release --filter TitleSearchBenchmark
///
/// Each query's time is the fastest of 20 batches, which discounts other load on the machine.
struct TitleSearchBenchmarkTests {
    private static let isRequested = ProcessInfo.processInfo.environment["REC_BENCHMARK"] != nil

    /// Every keystroke of two titles, as type-ahead sends them.
    private static let typedQueries = ["s", "st", "sta", "star", "star w", "star wa", "lord", "lord of", "lord of the", "the", "the m"]
    /// Misspellings, whose few word matches leave the rest of the list to the fuzzy fallback.
    private static let misspeltQueries = ["godfater", "star wras", "terminater", "jurasic park", "shawshenk redemption"]
    /// Queries nothing matches, and the longest query the API takes.
    private static let unmatchedQueries = [
        "xqzzv blorf", "qwertyuiop",
        String((0..<40).map { ["love ", "story ", "night ", "the ", "wars "][$0 % 5] }.joined().prefix(200)),
    ]

    private func microseconds(_ query: String, _ search: TitleSearch, repeats: Int) -> Double {
        var fastest = Double.infinity
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { _ = search.search(query, limit: 10) }
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(repeats) / 1000)
        }
        return fastest
    }

    @Test(.enabled(if: isRequested))
    func searchesWithinBudget() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        var buildMilliseconds = Double.infinity
        for _ in 0..<10 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = fixture.tables.withView { TitleSearchIndex(index: $0, itemCount: fixture.ratingCounts.count) }
            buildMilliseconds = min(buildMilliseconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        print(
            "word index: \(fixture.words.wordCount) words, \(fixture.words.postingCount) postings, built in \(String(format: "%.2f", buildMilliseconds)) ms"
        )
        let groups = fixture.withMatcher { matcher in
            let search = TitleSearch(words: fixture.words, matcher: matcher)
            return [
                ("typed", Self.typedQueries, Self.typedQueries.map { microseconds($0, search, repeats: 50) }),
                ("misspelt", Self.misspeltQueries, Self.misspeltQueries.map { microseconds($0, search, repeats: 10) }),
                ("not found", Self.unmatchedQueries, Self.unmatchedQueries.map { microseconds($0, search, repeats: 10) }),
            ]
        }
        func median(_ times: [Double]) -> Double { times.sorted()[times.count / 2] }
        for (label, queries, times) in groups {
            print("\(label): median \(String(format: "%.1f", median(times))) µs, slowest \(String(format: "%.1f", times.max() ?? 0)) µs")
            for (query, time) in zip(queries, times) { print("  \(String(format: "%8.1f", time)) µs  \(query.prefix(60))") }
        }
        #expect(buildMilliseconds < 50)
        #expect(median(groups[0].2) < 200)
        #expect(groups.flatMap(\.2).max() ?? 0 < 3000)
    }
}
