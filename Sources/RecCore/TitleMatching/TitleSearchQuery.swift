/// A movie-search query, normalised like every title (`TitleNormalizer`) and split into the
/// words the search looks up, each with its weight.
///
/// The last word is the one still being typed, so it may be the beginning of a title word.
/// Stop words (`WordSimilarity.stopWords`) and numbers (`WordSimilarity.isNumber`: a sequel's
/// number, a year) weigh `TitleSearch.weakWordWeight` of a word that names something, unless
/// the query has nothing else: `lord of the` is mostly about `lord`, and `terminator 3` about
/// `terminator`, not every third film. A year stays a word: it matches the year the index adds
/// to each key. Only the first `TitleSearch.maximumQueryWords` words count.
struct TitleSearchQuery {
    /// One word of the query.
    struct Word {
        /// Where the word is in `bytes`.
        var range: Range<Int>
        /// The other spelling of a number from 1 to 20 (`2` for `ii`), or empty.
        var numeral: [UInt8]
        /// What the word's credit counts for in the coverage.
        var weight: Float
        /// Whether this is the last word, which may be unfinished.
        var isLast: Bool
        /// Whether the word is all digits, which no typo turns into another number.
        var isDigits: Bool
    }

    /// The normalised query, year included.
    let bytes: [UInt8]
    /// The words, in query order.
    let words: [Word]
    /// The sum of the words' weights.
    let totalWeight: Float

    init(_ query: String) {
        let normalized = TitleNormalizer.normalizedBytes(of: query)
        var ranges: [Range<Int>] = [], isWeak: [Bool] = []
        normalized.withUnsafeBytes { text in
            TitleTrigrams.forEachWord(in: text) { range in
                guard ranges.count < TitleSearch.maximumQueryWords else { return }
                ranges.append(range)
                isWeak.append(
                    WordSimilarity.isStopWord(UnsafeRawBufferPointer(rebasing: text[range])) || WordSimilarity.isNumber(normalized[range]))
            }
        }
        let onlyWeakWords = !isWeak.contains(false)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        let words = ranges.enumerated().map { index, range in
            Word(
                range: range, numeral: WordSimilarity.numeralAlternative(normalized[range]) ?? [],
                weight: isWeak[index] && !onlyWeakWords ? TitleSearch.weakWordWeight : 1,
                isLast: index == ranges.count - 1, isDigits: normalized[range].allSatisfy { digits.contains($0) })
        }
        bytes = normalized
        self.words = words
        totalWeight = words.reduce(0) { $0 + $1.weight }
    }

    /// The bits of every word, one per word in query order.
    var allWords: UInt32 { words.count >= 32 ? .max : (1 << UInt32(words.count)) - 1 }
}
