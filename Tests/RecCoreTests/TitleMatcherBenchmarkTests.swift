import Foundation
import RecCore
import Testing

/// Per-query latency of title matching on the embedded catalogue. Timing depends on the
/// build and the machine, so it runs only when asked, on a release build:
///
///     REC_BENCHMARK=1 swift test -c release --filter TitleMatcherBenchmark
///
/// Each query's time is the fastest of 20 batches, which discounts other load on the machine.
struct TitleMatcherBenchmarkTests {
    private static let isRequested = ProcessInfo.processInfo.environment["REC_BENCHMARK"] != nil

    private static let exactQueries = [
        "Lord of the Rings", "toy story", "Heat (1995)", "Star Wars: Episode IV - A New Hope",
        "The Matrix", "Misérables, Les", "Shawshank Redemption", "Hamlet",
    ]
    private static let fuzzyQueries = [
        "Star Wars: Episode IV", "Toy Stroy", "Toy Story (1990)", "Godfather 2", "Return of the Jedi",
        "Indiana Jones", "Shawshank", "love", "Jurasic Park", "Pulp Fictoin", "Road Warrior", "Star Wars",
    ]
    private static let unmatchedQueries = ["xqzzv blorf", "Shawshank Prison", "the lord of the thing", "qwertyuiop", "the"]

    /// The fastest per-query time of `queries`, in microseconds.
    private func microseconds(_ query: String, _ matcher: TitleMatcher, repeats: Int) -> Double {
        var fastest = Double.infinity
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { _ = matcher.resolve(query) }
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(repeats) / 1000)
        }
        return fastest
    }

    @Test(.enabled(if: isRequested))
    func resolvesWithinBudget() throws {
        let fixture = try TitleMatchingFixture.shared.get()
        let (exact, fuzzy, unmatched) = fixture.withMatcher { matcher in
            (
                Self.exactQueries.map { microseconds($0, matcher, repeats: 200) },
                Self.fuzzyQueries.map { microseconds($0, matcher, repeats: 10) },
                Self.unmatchedQueries.map { microseconds($0, matcher, repeats: 10) }
            )
        }
        func median(_ times: [Double]) -> Double { times.sorted()[times.count / 2] }
        for (label, queries, times) in [
            ("exact", Self.exactQueries, exact), ("fuzzy", Self.fuzzyQueries, fuzzy),
            ("not found", Self.unmatchedQueries, unmatched),
        ] {
            print("\(label): median \(String(format: "%.1f", median(times))) µs, slowest \(String(format: "%.1f", times.max() ?? 0)) µs")
            for (query, time) in zip(queries, times) { print("  \(String(format: "%8.1f", time)) µs  \(query)") }
        }
        #expect(median(exact) < 20)
        #expect(median(fuzzy) < 500)
        #expect((fuzzy + unmatched).max() ?? 0 < 3000)
    }
}
