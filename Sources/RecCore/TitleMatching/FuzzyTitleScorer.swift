/// Scores how closely a query resembles one key of the title-match index, from 0 to 1.
///
/// With Q the query's words and T the key's words (both without the year):
///
///     score = 0.5 × queryCoverage + 0.2 × titleCoverage + 0.3 × trigramDice − yearPenalty − numberPenalty
///
/// - `queryCoverage`: the mean, over Q's words that are not stop words, of each word's best
///   `WordSimilarity` credit against T. It asks "is everything typed in the title?" and is 0
///   for a query of stop words only.
/// - `titleCoverage`: the same from T's side (T's non-stop words against Q), so a query that
///   names only part of a long title scores lower than one naming all of it.
/// - `trigramDice`: 2·|shared| / (|Q trigrams| + |T trigrams|) over the multisets of each
///   word's byte trigrams, padded as `␣␣w`, …, `w␣` (like PostgreSQL's pg_trgm). It tolerates
///   typos, split or joined words and word order.
/// - `yearPenalty`: 0 without a query year or when the years agree; otherwise
///   0.05 + 0.01 per year of difference, at most 0.2 (also when the movie has no year).
/// - `numberPenalty`: 0.15 when a number word of the query (see `WordSimilarity.isNumber`)
///   matches no word of the key, because a sequel is another film: `Toy Story 3` is not
///   *Toy Story*, while `Rocky 4` is *Rocky IV*.
///
/// Two shortcuts: a key equal to the query once spaces are removed (`xmen` and `x men`)
/// scores 1 − yearPenalty, or 1 when it equals the whole query, year digits included (so
/// `Airport 1975` scores 1 against `airport 1975`); and a key that shares no trigram with
/// the query scores 0.
/// The result is clamped to 0...1 and is a pure function of the two texts and years.
///
/// A class so that its scratch memory, allocated once per query, is freed with it; it is
/// used by one thread for one query.
final class FuzzyTitleScorer {
    /// The weight of `queryCoverage`.
    static let queryCoverageWeight = 0.5
    /// The weight of `titleCoverage`.
    static let titleCoverageWeight = 0.2
    /// The weight of `trigramDice`.
    static let trigramWeight = 0.3
    /// The penalty for any year mismatch.
    static let yearMismatchPenalty = 0.05
    /// The further penalty per year of difference.
    static let yearDifferencePenalty = 0.01
    /// The largest year penalty.
    static let maximumYearPenalty = 0.2
    /// The penalty for a number in the query that the key lacks.
    static let missingNumberPenalty = 0.15
    /// The most query words the coverage terms look at; later words count only as trigrams.
    static let maximumQueryWords = 32
    /// The most key words the coverage terms look at; later words count only as trigrams.
    static let maximumTitleWords = 64

    private static let space = UInt8(ascii: " ")

    private struct QueryWord {
        var range: Range<Int>
        var isStopWord: Bool
        var isNumber: Bool
        /// The other spelling of a number word (`2` ↔ `ii`) in `numeralBytes`, or empty.
        var numeral: Range<Int>
    }

    private let text: [UInt8]
    private let compactText: [UInt8]
    /// The whole query, year digits included, without spaces; empty when it has no year.
    private let compactQueryWithYear: [UInt8]
    private let year: Int?
    private let words: [QueryWord]
    private let numeralBytes: [UInt8]
    private let meaningfulWordCount: Int
    /// The meaningful (non-stop) query words among the first `maximumQueryWords`, one bit each.
    private let meaningfulWords: UInt32
    /// Meaningful words a key may cover while sharing only one of their trigrams (see `upperBound`).
    private let wordsNeedingOneTrigram: UInt32
    /// The query's distinct trigrams, sorted, with how often each occurs.
    private let trigrams: [UInt32]
    private let trigramOccurrences: [UInt16]
    private let trigramTotal: Int
    /// For each distinct trigram, the meaningful words it is evidence for (see `queryTrigrams`).
    private let trigramEvidence: [UInt32]
    /// A 4096-bit filter of the query's trigrams, so most key trigrams are rejected in one test.
    private let trigramFilter: [UInt64]

    // Scratch memory reused across keys.
    private let trigramUses: UnsafeMutableBufferPointer<UInt16>
    private let usedTrigrams: UnsafeMutableBufferPointer<Int>
    private let titleWords: UnsafeMutableBufferPointer<Range<Int>>
    private let titleWordIsStopWord: UnsafeMutableBufferPointer<Bool>
    private let bestForQueryWord: UnsafeMutableBufferPointer<Double>
    private let bestForTitleWord: UnsafeMutableBufferPointer<Double>
    private let editRows: UnsafeMutableBufferPointer<Int>

    /// Prepares a normalised query.
    init(_ query: NormalizedQuery) {
        let text = Array(query.text)
        self.text = text
        year = query.year
        compactText = text.filter { $0 != Self.space }
        compactQueryWithYear = query.year == nil ? [] : query.bytes.filter { $0 != Self.space }
        let analysis = Self.analyzeWords(of: text)
        let words = analysis.words
        self.words = words
        numeralBytes = analysis.numeralBytes
        wordsNeedingOneTrigram = analysis.wordsNeedingOneTrigram
        meaningfulWordCount = words.count { !$0.isStopWord }
        meaningfulWords = words.indices.reduce(0) { words[$1].isStopWord ? $0 : $0 | 1 << UInt32($1) }
        let table = Self.trigramTable(of: analysis.occurrences)
        trigrams = table.trigrams
        trigramOccurrences = table.counts
        trigramEvidence = table.evidence
        trigramTotal = analysis.occurrences.count { $0.counts }
        trigramFilter = table.filter
        trigramUses = .allocate(capacity: table.trigrams.count)
        trigramUses.initialize(repeating: 0)
        usedTrigrams = .allocate(capacity: table.trigrams.count)
        titleWords = .allocate(capacity: Self.maximumTitleWords)
        titleWordIsStopWord = .allocate(capacity: Self.maximumTitleWords)
        bestForQueryWord = .allocate(capacity: words.count)
        bestForTitleWord = .allocate(capacity: Self.maximumTitleWords)
        editRows = .allocate(capacity: 3 * (WordSimilarity.longestTypoWord + 1))
    }

    /// One trigram occurrence of the query: `counts` is false for the trigrams of a numeral's
    /// other spelling, which count as evidence for the words in `evidence` but not towards
    /// the trigram term.
    private typealias TrigramOccurrence = (trigram: UInt32, counts: Bool, evidence: UInt32)

    /// The query's words (up to `maximumQueryWords`; later words still add trigrams), their
    /// numeral spellings, every trigram occurrence, and the words that one shared trigram
    /// already makes plausible (short words and words that repeat a trigram).
    private static func analyzeWords(
        of text: [UInt8]
    ) -> (
        words: [QueryWord], numeralBytes: [UInt8],
        occurrences: [TrigramOccurrence], wordsNeedingOneTrigram: UInt32
    ) {
        var words: [QueryWord] = []
        var numeralBytes: [UInt8] = []
        var occurrences: [TrigramOccurrence] = []
        var wordsNeedingOneTrigram: UInt32 = 0
        text.withUnsafeBytes { bytes in
            TitleTrigrams.forEachWord(in: bytes) { range in
                let word = UnsafeRawBufferPointer(rebasing: bytes[range])
                guard words.count < maximumQueryWords else {
                    TitleTrigrams.forEach(in: word) { occurrences.append(($0, true, 0)) }
                    return
                }
                let isStopWord = WordSimilarity.isStopWord(word)
                let bit: UInt32 = isStopWord ? 0 : 1 << UInt32(words.count)
                let numeral = WordSimilarity.numeralAlternative(text[range]) ?? []
                let numeralStart = numeralBytes.count
                numeralBytes += numeral
                words.append(
                    QueryWord(
                        range: range, isStopWord: isStopWord, isNumber: WordSimilarity.isNumber(text[range]),
                        numeral: numeralStart..<numeralBytes.count))
                var wordTrigrams: [UInt32] = []
                TitleTrigrams.forEach(in: word) { wordTrigrams.append($0) }
                occurrences += wordTrigrams.map { ($0, true, bit) }
                numeral.withUnsafeBytes { numeral in TitleTrigrams.forEach(in: numeral) { occurrences.append(($0, false, bit)) } }
                if word.count == WordSimilarity.shortestDoubleTypoWord || Set(wordTrigrams).count < wordTrigrams.count {
                    wordsNeedingOneTrigram |= bit
                }
            }
        }
        return (words, numeralBytes, occurrences, wordsNeedingOneTrigram)
    }

    /// The distinct trigrams in ascending order, how often each occurs (counting
    /// occurrences only), which words each is evidence for, and the 4,096-bit filter of them.
    private static func trigramTable(
        of occurrences: [TrigramOccurrence]
    )
        -> (trigrams: [UInt32], counts: [UInt16], evidence: [UInt32], filter: [UInt64])
    {
        let sorted = occurrences.sorted { $0.trigram < $1.trigram }
        var trigrams: [UInt32] = [], counts: [UInt16] = [], evidence: [UInt32] = []
        for occurrence in sorted {
            if occurrence.trigram != trigrams.last {
                trigrams.append(occurrence.trigram)
                counts.append(0)
                evidence.append(0)
            }
            if occurrence.counts { counts[counts.count - 1] &+= 1 }
            evidence[evidence.count - 1] |= occurrence.evidence
        }
        var filter = [UInt64](repeating: 0, count: 64)
        for trigram in trigrams {
            let bit = filterBit(trigram)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        return (trigrams, counts, evidence, filter)
    }

    deinit {
        trigramUses.deallocate()
        usedTrigrams.deallocate()
        titleWords.deallocate()
        titleWordIsStopWord.deallocate()
        bestForQueryWord.deallocate()
        bestForTitleWord.deallocate()
        editRows.deallocate()
    }

    /// Whether the query has anything to compare.
    var isEmpty: Bool { text.isEmpty }

    /// The query's distinct trigrams: how often each occurs in the query (0 for one only in a
    /// numeral's other spelling), and the meaningful query words (bit i for word i) it is
    /// evidence for.
    var queryTrigrams: some Sequence<(trigram: UInt32, occurrences: UInt16, evidence: UInt32)> {
        trigrams.indices.lazy.map { (self.trigrams[$0], self.trigramOccurrences[$0], self.trigramEvidence[$0]) }
    }

    /// An upper bound of `score` for a key of `keyLength` bytes from `keyYear`.
    ///
    /// `sharedOccurrences` sums the query occurrences of the distinct query trigrams the key
    /// contains; `evidenceOnce` is the union of their evidence, and `evidenceTwice` the words
    /// that two of them are evidence for. The bound holds because a key of single-spaced
    /// words has `keyLength + 1` trigrams, and a word (of the query or the title) gets credit
    /// only if two of its n + 1 trigrams (or its numeral spelling's) occur in the other text:
    /// an exact word or a prefix keeps at least two, one edit destroys at most four of
    /// n + 1 ≥ 6, and two edits at most eight of n + 1 ≥ 10. So only words of exactly 8 bytes
    /// (two edits may leave one) and words repeating a trigram need just one.
    func upperBound(sharedOccurrences: Int, evidenceOnce: UInt32, evidenceTwice: UInt32, keyLength: Int, keyYear: Int?) -> Double {
        let keyTrigrams = keyLength + 1
        let dice = 2 * Double(min(sharedOccurrences, keyTrigrams)) / Double(trigramTotal + keyTrigrams)
        return Self.queryCoverageWeight * queryCoverageBound(evidenceOnce: evidenceOnce, evidenceTwice: evidenceTwice)
            + Self.titleCoverageWeight + Self.trigramWeight * dice - yearPenalty(keyYear)
    }

    private func queryCoverageBound(evidenceOnce: UInt32, evidenceTwice: UInt32) -> Double {
        guard meaningfulWordCount > 0 else { return 0 }
        let coverable = (evidenceTwice | (evidenceOnce & wordsNeedingOneTrigram)) & meaningfulWords
        return Double(coverable.nonzeroBitCount) / Double(meaningfulWordCount)
    }

    /// The score of a key that equals the query once spaces are removed, or nil for any other key.
    func compactMatchScore(key: UnsafeRawBufferPointer, keyYear: Int?) -> Double? {
        if Self.equalIgnoringSpaces(key, compactText) { return max(0, 1 - yearPenalty(keyYear)) }
        if !compactQueryWithYear.isEmpty, Self.equalIgnoringSpaces(key, compactQueryWithYear) { return 1 }
        return nil
    }

    private static func equalIgnoringSpaces(_ key: UnsafeRawBufferPointer, _ compact: [UInt8]) -> Bool {
        var compactIndex = 0
        for byte in key where byte != space {
            guard compactIndex < compact.count, compact[compactIndex] == byte else { return false }
            compactIndex += 1
        }
        return compactIndex == compact.count
    }

    /// The score of `key` for a movie of `keyYear`, or nil when it is certainly below
    /// `mustReach` (the caller's bar), which skips the word comparisons.
    func score(key: UnsafeRawBufferPointer, keyYear: Int?, mustReach: Double) -> Double? {
        if let score = compactMatchScore(key: key, keyYear: keyYear) { return score }
        let penalty = yearPenalty(keyYear)
        let scan = scanTrigrams(of: key)
        guard scan.sharedTrigrams > 0 else { return nil }
        let dice = 2 * Double(scan.sharedTrigrams) / Double(trigramTotal + scan.keyTrigrams)
        let bound =
            Self.queryCoverageWeight * scan.queryCoverageBound + Self.titleCoverageWeight * scan.titleCoverageBound
            + Self.trigramWeight * dice - penalty
        guard bound >= mustReach else { return nil }
        let coverage = coverages(key)
        let score =
            Self.queryCoverageWeight * coverage.query + Self.titleCoverageWeight * coverage.title
            + Self.trigramWeight * dice - penalty - (coverage.missesNumber ? Self.missingNumberPenalty : 0)
        return min(1, max(0, score))
    }

    private func yearPenalty(_ keyYear: Int?) -> Double {
        guard let year else { return 0 }
        guard let keyYear else { return Self.maximumYearPenalty }
        let difference = abs(keyYear - year)
        guard difference > 0 else { return 0 }
        return min(Self.maximumYearPenalty, Self.yearMismatchPenalty + Self.yearDifferencePenalty * Double(difference))
    }

    private struct TrigramScan {
        /// The size of the intersection of the key's and the query's trigram multisets.
        var sharedTrigrams = 0
        /// The key's trigram count.
        var keyTrigrams = 0
        /// An upper bound of `queryCoverage`, from the query words the shared trigrams are evidence for.
        var queryCoverageBound = 0.0
        /// An upper bound of `titleCoverage`: the share of the key's meaningful words that contain
        /// enough query trigrams to be credited at all.
        var titleCoverageBound = 0.0
    }

    /// One pass over the key's trigrams, word by word (see `upperBound` for why the bounds hold;
    /// a credited title word contains two query trigram occurrences, or one when it has 8 bytes).
    private func scanTrigrams(of key: UnsafeRawBufferPointer) -> TrigramScan {
        var scan = TrigramScan()
        var usedCount = 0
        var evidenceOnce: UInt32 = 0, evidenceTwice: UInt32 = 0
        var titleWordCount = 0, meaningfulTitleWords = 0, coverableTitleWords = 0
        TitleTrigrams.forEachWord(in: key) { range in
            let word = UnsafeRawBufferPointer(rebasing: key[range])
            var queryTrigramsInWord = 0
            TitleTrigrams.forEach(in: word) { trigram in
                scan.keyTrigrams += 1
                guard let position = queryTrigramPosition(trigram) else { return }
                queryTrigramsInWord += 1
                evidenceTwice |= evidenceOnce & trigramEvidence[position]
                evidenceOnce |= trigramEvidence[position]
                guard trigramUses[position] < trigramOccurrences[position] else { return }
                if trigramUses[position] == 0 {
                    usedTrigrams[usedCount] = position
                    usedCount += 1
                }
                trigramUses[position] += 1
                scan.sharedTrigrams += 1
            }
            guard titleWordCount < Self.maximumTitleWords else { return }
            titleWordCount += 1
            if !WordSimilarity.isStopWord(word) {
                meaningfulTitleWords += 1
                if queryTrigramsInWord >= (word.count == WordSimilarity.shortestDoubleTypoWord ? 1 : 2) { coverableTitleWords += 1 }
            }
        }
        for position in usedTrigrams[0..<usedCount] { trigramUses[position] = 0 }
        scan.queryCoverageBound = queryCoverageBound(evidenceOnce: evidenceOnce, evidenceTwice: evidenceTwice)
        scan.titleCoverageBound = meaningfulTitleWords == 0 ? 0 : Double(coverableTitleWords) / Double(meaningfulTitleWords)
        return scan
    }

    private func queryTrigramPosition(_ trigram: UInt32) -> Int? {
        let bit = Self.filterBit(trigram)
        guard trigramFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return nil }
        return trigrams.sortedPosition(of: trigram)
    }

    /// `queryCoverage` and `titleCoverage` of `key`, and whether a number word of the query
    /// matches none of its words.
    private func coverages(_ key: UnsafeRawBufferPointer) -> (query: Double, title: Double, missesNumber: Bool) {
        var titleWordCount = 0, meaningfulTitleWords = 0
        TitleTrigrams.forEachWord(in: key) { range in
            guard titleWordCount < Self.maximumTitleWords else { return }
            let isStopWord = WordSimilarity.isStopWord(UnsafeRawBufferPointer(rebasing: key[range]))
            titleWords[titleWordCount] = range
            titleWordIsStopWord[titleWordCount] = isStopWord
            bestForTitleWord[titleWordCount] = 0
            titleWordCount += 1
            if !isStopWord { meaningfulTitleWords += 1 }
        }
        for index in 0..<words.count { bestForQueryWord[index] = 0 }
        text.withUnsafeBytes { queryBytes in
            numeralBytes.withUnsafeBytes { numeralBytes in
                for queryIndex in 0..<words.count {
                    let word = words[queryIndex]
                    let queryWord = UnsafeRawBufferPointer(rebasing: queryBytes[word.range])
                    let numeral = word.numeral.isEmpty ? nil : UnsafeRawBufferPointer(rebasing: numeralBytes[word.numeral])
                    // A pair of stop words counts towards neither coverage.
                    for titleIndex in 0..<titleWordCount where !(word.isStopWord && titleWordIsStopWord[titleIndex]) {
                        let credit = WordSimilarity.credit(
                            of: queryWord, numeral: numeral,
                            for: UnsafeRawBufferPointer(rebasing: key[titleWords[titleIndex]]),
                            rows: editRows)
                        bestForQueryWord[queryIndex] = max(bestForQueryWord[queryIndex], credit)
                        bestForTitleWord[titleIndex] = max(bestForTitleWord[titleIndex], credit)
                    }
                }
            }
        }
        var querySum = 0.0, titleSum = 0.0, missesNumber = false
        for index in 0..<words.count {
            if !words[index].isStopWord { querySum += bestForQueryWord[index] }
            if words[index].isNumber, bestForQueryWord[index] == 0 { missesNumber = true }
        }
        for index in 0..<titleWordCount where !titleWordIsStopWord[index] { titleSum += bestForTitleWord[index] }
        return (
            meaningfulWordCount == 0 ? 0 : querySum / Double(meaningfulWordCount),
            meaningfulTitleWords == 0 ? 0 : titleSum / Double(meaningfulTitleWords), missesNumber
        )
    }

    private static func filterBit(_ trigram: UInt32) -> Int {
        Int((trigram &* 0x9E37_79B1) >> 20)
    }
}
