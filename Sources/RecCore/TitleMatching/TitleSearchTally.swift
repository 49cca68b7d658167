/// What a movie search has found for each index entry while it reads the query's words:
/// the weighted credits so far, which query words are credited, which sit at their own
/// position in the key, and which matched exactly.
///
/// It lives in memory the search provides for one query (stack memory when the platform
/// allows), so reading postings allocates nothing.
struct TitleSearchTally {
    /// One entry's tally; all zero for an entry no query word has reached.
    struct Entry {
        /// The sum of the credited words' `weight × credit`.
        var sum: Float = 0
        /// The query words credited, bit i for word i.
        var credited: UInt32 = 0
        /// The query words found at their own word position in the key.
        var inPlace: UInt32 = 0
        /// The query words credited as the exact word.
        var exact: UInt32 = 0
        /// The query words credited as the word or its beginning (no typo).
        var strong: UInt32 = 0
    }

    private let entries: UnsafeMutableBufferPointer<Entry>
    private let touched: UnsafeMutableBufferPointer<Int32>
    /// How many entries have been reached; `touched` lists them.
    private(set) var touchedCount = 0

    /// A tally over `entries` (one per index entry) and `touched` (as many), which it
    /// initialises.
    init(entries: UnsafeMutableBufferPointer<Entry>, touched: UnsafeMutableBufferPointer<Int32>) {
        entries.initialize(repeating: Entry())
        self.entries = entries
        self.touched = touched
    }

    /// Records that query word `word` (with `weight`) occurs as a key word with `credit` at
    /// `posting`. Only the first credit of a word counts for an entry, which is its best since
    /// matches come best first; the position counts for every occurrence.
    mutating func record(_ posting: UInt32, word: Int, weight: Float, credit: Float) {
        let entry = Int(posting >> 8), position = Int(posting & 0xFF)
        guard entry < entries.count else { return }
        let bit: UInt32 = 1 << UInt32(word)
        var tally = entries[entry]
        if tally.credited == 0 {
            touched[touchedCount] = Int32(entry)
            touchedCount += 1
        }
        if position == word { tally.inPlace |= bit }
        if tally.credited & bit == 0 {
            tally.credited |= bit
            tally.sum += weight * credit
            if credit == TitleSearch.exactCredit { tally.exact |= bit }
            if credit >= TitleSearch.prefixCredit { tally.strong |= bit }
        }
        entries[entry] = tally
    }

    /// The entries reached, in the order they were first reached.
    var touchedEntries: UnsafeMutableBufferPointer<Int32>.SubSequence { touched[0..<touchedCount] }

    /// Whether `entry` has every word of `query`, each exactly or as the beginning of a key word.
    func isComplete(_ entry: Int, query: TitleSearchQuery) -> Bool {
        entries[entry].strong == query.allWords
    }

    /// The search score of `entry`, whose key has `titleWords` words before its year, or nil
    /// when its coverage of `query` is below `TitleSearch.minimumCoverage` (see `TitleSearch`).
    func score(ofEntry entry: Int, query: TitleSearchQuery, titleWords: Int) -> Float? {
        let tally = entries[entry]
        let coverage = tally.sum / query.totalWeight
        guard coverage >= TitleSearch.minimumCoverage else { return nil }
        var score = TitleSearch.coverageWeight * coverage
        let all = query.allWords
        guard tally.inPlace == all else { return score }
        score += TitleSearch.beginningBonus
        let wordCount = query.words.count
        if tally.exact == all, wordCount == titleWords || wordCount == titleWords + 1 { score += TitleSearch.wholeTitleBonus }
        return score
    }
}
