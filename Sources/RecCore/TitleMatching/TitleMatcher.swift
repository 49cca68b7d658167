/// Resolves the movie titles people type to items, over a title-match index that may live in
/// a memory-mapped model file.
///
/// A query is normalised with `TitleNormalizer`, then:
/// 1. **Exact.** The normalised query is looked up as a key. If that finds nothing and the
///    query ends with a year (`Heat (1995)`, `heat 1995`), the text before the year is looked
///    up among keys of movies from that year. Within the equal range a movie's own title beats
///    another's alternate title (`TitleKeyKind.Form` order); among equals the first entry wins,
///    which the index's order makes the most-rated movie (then the lowest item index).
/// 2. **Fuzzy.** Otherwise every key is scored with `FuzzyTitleScorer` (the year only
///    penalises), each movie keeps its best key, and movies rank by score, then rating count,
///    then item index. The best resolves if it scores at least `fuzzyThreshold`.
/// 3. **Not found.** Otherwise the best `suggestionLimit` movies scoring at least
///    `suggestionThreshold` are suggested.
///
/// The matcher reads the index defensively: entries whose key lies outside the key bytes, or
/// whose item is not below `ratingCounts.count`, are skipped, so a corrupt index yields
/// wrong answers at worst, never a crash. It holds no memory of its own: it is valid only
/// while the owner of the view and of `ratingCounts` is alive.
public struct TitleMatcher: @unchecked Sendable {
    /// The lowest fuzzy score that resolves a query.
    public static let fuzzyThreshold = 0.7
    /// The lowest fuzzy score a suggestion needs.
    public static let suggestionThreshold = 0.4
    /// How many suggestions an unresolved query gets.
    public static let suggestionLimit = 3
    /// Keys longer than this are never compared fuzzily (no normalised title comes close).
    public static let longestFuzzyKey = 4096

    /// The index searched.
    public let index: TitleIndexView
    /// The number of training ratings of each item; its count is the number of items.
    public let ratingCounts: UnsafeBufferPointer<Int32>

    /// Creates a matcher over `index` whose items are `0..<ratingCounts.count`.
    public init(index: TitleIndexView, ratingCounts: UnsafeBufferPointer<Int32>) {
        self.index = index
        self.ratingCounts = ratingCounts
    }

    /// The item `query` resolves to, exactly or fuzzily, or suggestions when it resolves to none.
    public func resolve(_ query: String) -> TitleResolution {
        resolveRanking(query).resolution
    }

    /// `resolve(query)`, with the fuzzy ranking behind it: for a query that is not found, its
    /// suggestions with their scores (empty after an exact or fuzzy match), so that
    /// `TitleSearch.resolve` can fall back on them without ranking again.
    func resolveRanking(_ query: String) -> (resolution: TitleResolution, suggestions: [TitleSuggestion]) {
        let normalized = NormalizedQuery(query)
        guard !normalized.bytes.isEmpty else { return (.notFound(suggestions: []), []) }
        if let item = exactItem(normalized) { return (.exact(item: item), []) }
        let scorer = FuzzyTitleScorer(normalized)
        let ranked = rank(candidates(for: scorer), by: scorer, limit: Self.suggestionLimit, resolvingAt: Self.fuzzyThreshold)
        if let best = ranked.first, best.score >= Self.fuzzyThreshold {
            return (.fuzzy(item: best.item, score: best.score), [])
        }
        return (.notFound(suggestions: ranked.map(\.item)), ranked)
    }

    /// The item `query` names exactly (step 1 of `resolve`), or nil; never searches fuzzily.
    public func exactItem(_ query: String) -> Int32? {
        let normalized = NormalizedQuery(query)
        guard !normalized.bytes.isEmpty else { return nil }
        return exactItem(normalized)
    }

    /// Up to `limit` movies resembling `query`, best first, each scoring at least
    /// `suggestionThreshold`; a movie `resolve` would match exactly scores 1.
    public func suggestions(for query: String, limit: Int = suggestionLimit) -> [TitleSuggestion] {
        guard limit > 0 else { return [] }
        let normalized = NormalizedQuery(query)
        let scorer = FuzzyTitleScorer(normalized)
        return rank(candidates(for: scorer), by: scorer, limit: limit, resolvingAt: nil)
    }

    /// `suggestions(for:limit:)` without the movies scoring below `floor`: the same movies as
    /// its answer's prefix that reaches `floor`, found faster, since a higher bar lets the
    /// search stop sooner. The movie search asks for what can beat its best word match.
    func suggestions(for query: String, limit: Int, scoringAtLeast floor: Double) -> [TitleSuggestion] {
        guard limit > 0 else { return [] }
        let scorer = FuzzyTitleScorer(NormalizedQuery(query))
        return rank(candidates(for: scorer), by: scorer, limit: limit, resolvingAt: nil, floor: floor)
    }

    /// The fuzzy score of `query` against one normalised key (a `TitleIndexKey.text`) of a
    /// movie from `keyYear`: the score `resolve` and `suggestions` rank by, computed without
    /// any pruning. For explaining a match, and for checking the search.
    public static func fuzzyScore(of query: String, againstKey key: String, keyYear: Int?) -> Double {
        let normalized = NormalizedQuery(query)
        let scorer = FuzzyTitleScorer(normalized)
        guard !scorer.isEmpty else { return 0 }
        var key = key
        return key.withUTF8 { scorer.score(key: UnsafeRawBufferPointer($0), keyYear: keyYear, mustReach: -.infinity) } ?? 0
    }

    // MARK: Exact lookup

    private func exactItem(_ query: NormalizedQuery) -> Int32? {
        if let item = firstItem(withKey: query.bytes[...], year: nil) { return item }
        guard let year = query.year else { return nil }
        return firstItem(withKey: query.text, year: year)
    }

    /// The valid item in the equal range of `key` (from `year` when one is given) whose key is
    /// the most direct form of its title; among equals, the first, which the index's order
    /// makes the most-rated movie.
    ///
    /// The form decides before popularity so that a movie's own title always beats another
    /// movie's alternate title: `Bewegte Mann, Der (1994)` is movie 811, even though the more
    /// rated `Maybe, Maybe Not (Bewegte Mann, Der) (1994)` has the same key as an alternate.
    private func firstItem(withKey key: ArraySlice<UInt8>, year: Int?) -> Int32? {
        key.withUnsafeBytes { key in
            var position = index.entries.partitioningIndex { index.key(of: $0).lexicographicallyPrecedes(key) }
            var best: (item: Int32, precedence: Int)?
            while position < index.entries.count {
                let entry = index.entries[position]
                guard index.key(of: entry).elementsEqual(key) else { break }
                position += 1
                guard isValid(entry), year == nil || TitleKeyKind.year(rawValue: entry.kind) == year else { continue }
                let precedence = Self.exactPrecedence(ofKind: entry.kind)
                if best.map({ precedence < $0.precedence }) ?? true { best = (entry.item, precedence) }
            }
            return best?.item
        }
    }

    /// How directly a key of this kind names its movie, lower first: the title itself, then
    /// the title without its article, then alternate titles; forms this version does not know last.
    private static func exactPrecedence(ofKind kind: UInt32) -> Int {
        switch TitleKeyKind(rawValue: kind)?.form {
        case .title, .fullTitle: 0
        case .titleWithoutArticle: 1
        case .alternateTitle: 2
        case .alternateTitleWithoutArticle: 3
        case nil: 4
        }
    }

    private func isValid(_ entry: TitleKeyEntry) -> Bool {
        entry.item >= 0 && Int(entry.item) < ratingCounts.count
    }

    // MARK: Fuzzy ranking

    /// The best `limit` items scoring at least `suggestionThreshold` (or `floor` when higher), in
    /// rank order; or, once an item reaches `threshold`, only the best item is exact (the rest
    /// are not needed).
    ///
    /// Candidates are scored in descending order of their upper bound until one cannot reach
    /// the ranking, so the result is the same as scoring every entry.
    private func rank(
        _ candidates: FuzzyCandidateQueue, by scorer: FuzzyTitleScorer, limit: Int, resolvingAt threshold: Double?,
        floor: Double = suggestionThreshold
    ) -> [TitleSuggestion] {
        var ranked = RankedSuggestions(capacity: limit)
        var candidates = candidates
        while let candidate = candidates.next() {
            var bar = ranked.entryScore(floor: max(floor, Self.suggestionThreshold))
            if let threshold, let best = ranked.bestScore, best >= threshold { bar = max(bar, best) }
            guard candidate.bound >= bar else { break }
            let entry = index.entries[candidate.position]
            guard let score = scorer.score(key: index.key(of: entry), keyYear: TitleKeyKind.year(rawValue: entry.kind), mustReach: bar),
                score >= bar
            else { continue }
            ranked.offer(item: entry.item, score: score, ratingCount: ratingCounts[Int(entry.item)])
        }
        return ranked.suggestions
    }

    /// The entries that may score at least `suggestionThreshold`: from the trigram postings
    /// when the index has them, else every entry.
    private func candidates(for scorer: FuzzyTitleScorer) -> FuzzyCandidateQueue {
        guard !scorer.isEmpty else { return FuzzyCandidateQueue([]) }
        var candidates: [FuzzyCandidate] = []
        func consider(_ position: Int, sharedOccurrences: Int, evidenceOnce: UInt32, evidenceTwice: UInt32) {
            let entry = index.entries[position]
            guard isValid(entry) else { return }
            let key = index.key(of: entry)
            guard !key.isEmpty, key.count <= Self.longestFuzzyKey else { return }
            let year = TitleKeyKind.year(rawValue: entry.kind)
            let bound =
                scorer.compactMatchScore(key: key, keyYear: year)
                ?? scorer.upperBound(
                    sharedOccurrences: sharedOccurrences, evidenceOnce: evidenceOnce, evidenceTwice: evidenceTwice,
                    keyLength: key.count, keyYear: year)
            if bound >= Self.suggestionThreshold { candidates.append(FuzzyCandidate(position: position, bound: bound)) }
        }
        if index.hasTrigramPostings {
            var sharedOccurrences = [UInt16](repeating: 0, count: index.entries.count)
            var evidenceOnce = [UInt32](repeating: 0, count: index.entries.count)
            var evidenceTwice = [UInt32](repeating: 0, count: index.entries.count)
            var isTouched = [Bool](repeating: false, count: index.entries.count)
            var touched: [Int] = []
            for (trigram, occurrences, evidence) in scorer.queryTrigrams {
                for posting in index.postings(of: trigram) where Int(posting) < index.entries.count {
                    let position = Int(posting)
                    if !isTouched[position] {
                        isTouched[position] = true
                        touched.append(position)
                    }
                    let (sum, overflow) = sharedOccurrences[position].addingReportingOverflow(occurrences)
                    sharedOccurrences[position] = overflow ? .max : sum
                    evidenceTwice[position] |= evidenceOnce[position] & evidence
                    evidenceOnce[position] |= evidence
                }
            }
            for position in touched {
                consider(
                    position, sharedOccurrences: Int(sharedOccurrences[position]),
                    evidenceOnce: evidenceOnce[position], evidenceTwice: evidenceTwice[position])
            }
        } else {
            for position in 0..<index.entries.count {
                consider(position, sharedOccurrences: .max, evidenceOnce: .max, evidenceTwice: .max)
            }
        }
        return FuzzyCandidateQueue(candidates)
    }
}
