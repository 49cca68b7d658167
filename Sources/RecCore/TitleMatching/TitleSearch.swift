/// Ranks the catalogue's movies for a partial or misspelt query: the type-ahead search of
/// `GET /api/movies`, and the suggestions for a title that matches nothing.
///
/// The query is normalised like every title (`TitleSearchQuery`) and each of its words is
/// credited against the words of each key (`TitleSearchIndex`), best credit first:
/// - `exactCredit` (1): the same word, or the same number in the other numeral (`2` = `ii`);
/// - `typedPrefixCredit` (0.9): the last word, still being typed, starts the key word
///   (`star wa` → *wars*); any other word needs 3 letters for `prefixCredit` (0.8);
/// - `typoCredit` (0.7): one edit apart, or two when both have 8 letters, both having at least
///   `shortestTypoWord` (4) letters and neither all digits (`godfater`, `wras`);
/// - `typedPrefixTypoCredit` (0.6): the last word is one edit from the beginning of the key
///   word, its first letter right (`godfe` → *godfather*).
///
/// A key's coverage is the weighted mean credit of the query's words (stop words and numbers
/// weigh `weakWordWeight`, see `TitleSearchQuery`). Keys covering less than `minimumCoverage` are
/// left out; the rest score `coverageWeight × coverage`, plus `beginningBonus` when each
/// query word is at its own position in the key (the key begins with the query) and
/// `wholeTitleBonus` when, moreover, every word is exact and the query is the whole key (its
/// year optional). Each movie keeps its best key, and movies rank by score, then by more
/// training ratings, then by the lower item index. So equally good matches, such as the four
/// Star Wars films for `star wa`, come in order of popularity.
///
/// When no key has every query word exactly or as a beginning (a typo, a word no title has),
/// the title matcher's fuzzy suggestions (`TitleMatcher.suggestions`: trigram similarity, at
/// least 0.4) join the list, each movie ranked by the better of its two scores: its best one
/// when it scores at least as high as the best word match, or, when no word matches at all,
/// its best `TitleMatcher.suggestionLimit`. So joined words (`xmen` → *X-Men*, fuzzy score 1)
/// and heavier misspellings still find the movie, a query that some title has word for word
/// costs no fuzzy search, and a typo one that stops at the first match it can prove best.
/// Either way the first `k` movies of a longer list are the list for `k`.
///
/// Like `TitleMatcher`, it holds no memory of the loaded model: valid while the owner of the
/// matcher's views is alive.
public struct TitleSearch: Sendable {
    /// The credit of a query word that is the key word itself.
    public static let exactCredit: Float = 1
    /// The credit of the last query word when it starts the key word.
    public static let typedPrefixCredit: Float = 0.9
    /// The credit of another query word of 3 or more letters that starts the key word.
    public static let prefixCredit: Float = 0.8
    /// The credit of a query word with a typo or two.
    public static let typoCredit: Float = 0.7
    /// The credit of the last query word when it is one edit from the beginning of the key word.
    public static let typedPrefixTypoCredit: Float = 0.6
    /// The shortest word in which the search forgives a typo.
    public static let shortestTypoWord = 4
    /// What the credit of a stop word or a number weighs against a word that names something.
    public static let weakWordWeight: Float = 0.25
    /// The least coverage a key needs to be listed.
    public static let minimumCoverage: Float = 0.5
    /// How much the coverage counts in the score.
    public static let coverageWeight: Float = 0.9
    /// The score added when the key begins with the query's words, in order.
    public static let beginningBonus: Float = 0.05
    /// The score added when the query is the whole key, word for word.
    public static let wholeTitleBonus: Float = 0.05
    /// The query words the search reads; later words are ignored.
    public static let maximumQueryWords = 32
    /// The scratch integers the edit distances need.
    static let scratchRowCount = 3 * (WordSimilarity.longestTypoWord + 3)

    /// The word index searched.
    public let words: TitleSearchIndex
    /// The matcher over the same index, for the rating counts and the fuzzy fallback.
    public let matcher: TitleMatcher

    /// A search of `words`, built from `matcher.index`.
    public init(words: TitleSearchIndex, matcher: TitleMatcher) {
        self.words = words
        self.matcher = matcher
    }

    /// Up to `limit` movies for `query`, best first (see the type's description); empty when
    /// the query normalises to nothing or nothing comes close. A suggestion's score is its
    /// search score, or its fuzzy score when the fallback ran and that is higher.
    public func search(_ query: String, limit: Int) -> [TitleSuggestion] {
        search(TitleSearchQuery(query), limit: limit) { count, floor in
            matcher.suggestions(for: query, limit: count, scoringAtLeast: floor)
        }
    }

    /// What `TitleMatcher.resolve` answers for `query`, except that a query that resolves to
    /// nothing gets this search's best `TitleMatcher.suggestionLimit` movies as suggestions.
    /// The fuzzy ranking the matcher ran is the fallback, so it is not run twice.
    public func resolve(_ query: String) -> TitleResolution {
        let (resolution, fuzzy) = matcher.resolveRanking(query)
        guard case .notFound = resolution else { return resolution }
        let found = search(TitleSearchQuery(query), limit: TitleMatcher.suggestionLimit) { count, floor in
            Array(fuzzy.filter { $0.score >= floor }.prefix(count))
        }
        return .notFound(suggestions: found.map(\.item))
    }

    /// The word matches of `query`, joined when none is complete by `fuzzyMatches(count, floor)`:
    /// the matcher's best `count` suggestions scoring at least `floor`.
    private func search(
        _ query: TitleSearchQuery, limit requested: Int, fuzzyMatches: (_ count: Int, _ floor: Double) -> [TitleSuggestion]
    ) -> [TitleSuggestion] {
        let limit = min(requested, matcher.ratingCounts.count)
        guard limit > 0, !query.words.isEmpty else { return [] }
        let (found, hasCompleteMatch) = wordMatches(query, limit: limit)
        guard !hasCompleteMatch else { return found }
        var merged = RankedSuggestions(capacity: limit)
        let fuzzy = found.first.map { fuzzyMatches(1, $0.score) } ?? fuzzyMatches(TitleMatcher.suggestionLimit, 0)
        for suggestion in found + fuzzy {
            merged.offer(item: suggestion.item, score: suggestion.score, ratingCount: ratingCount(of: suggestion.item))
        }
        return merged.suggestions
    }

    /// The training ratings of `item`, 0 for an item outside the counts.
    private func ratingCount(of item: Int32) -> Int32 {
        item >= 0 && Int(item) < matcher.ratingCounts.count ? matcher.ratingCounts[Int(item)] : 0
    }

    /// The best `limit` movies by their words, in rank order, and whether any key has every
    /// query word exactly or as a beginning.
    private func wordMatches(_ query: TitleSearchQuery, limit: Int) -> (found: [TitleSuggestion], hasCompleteMatch: Bool) {
        let entryCount = words.entryItems.count
        return withUnsafeTemporaryAllocation(of: TitleSearchTally.Entry.self, capacity: entryCount) { entries in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: entryCount) { touched in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.scratchRowCount) { rows in
                    var tally = TitleSearchTally(entries: entries, touched: touched)
                    tallyWords(of: query, into: &tally, rows: rows)
                    return rank(tally, query: query, limit: limit)
                }
            }
        }
    }

    /// Credits every key for every query word, through the postings of the words each matches.
    private func tallyWords(of query: TitleSearchQuery, into tally: inout TitleSearchTally, rows: UnsafeMutableBufferPointer<Int>) {
        query.bytes.withUnsafeBytes { bytes in
            for (position, word) in query.words.enumerated() {
                let typed = UnsafeRawBufferPointer(rebasing: bytes[word.range])
                words.forEachMatch(of: word, typed: typed, rows: rows) { match, credit in
                    for posting in words.postings(ofWord: match) {
                        tally.record(posting, word: position, weight: word.weight, credit: credit)
                    }
                }
            }
        }
    }

    /// The best `limit` movies of the tallied keys: each movie's best key, by score, then
    /// rating count, then item; and whether any of those keys has every query word without a typo.
    private func rank(_ tally: TitleSearchTally, query: TitleSearchQuery, limit: Int) -> (found: [TitleSuggestion], hasCompleteMatch: Bool)
    {
        var ranked = RankedSuggestions(capacity: limit)
        var hasCompleteMatch = false
        for entry in tally.touchedEntries {
            let position = Int(entry)
            let item = words.entryItems[position]
            guard item >= 0, Int(item) < matcher.ratingCounts.count,
                let score = tally.score(ofEntry: position, query: query, titleWords: Int(words.entryTitleWords[position]))
            else { continue }
            hasCompleteMatch = hasCompleteMatch || tally.isComplete(position, query: query)
            ranked.offer(item: item, score: Double(score), ratingCount: ratingCount(of: item))
        }
        return (ranked.suggestions, hasCompleteMatch)
    }
}
