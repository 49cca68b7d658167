/// How well one word of a query stands for one word of a title, for the fuzzy score's
/// coverage terms.
///
/// - 1.0: the same word, or the same number written in Arabic and Roman numerals up to 20
///   (`2` and `ii`), so `Godfather 2` covers `Godfather: Part II`;
/// - 0.9: the query word, at least 3 letters long, starts the title word (`shawsh` → `shawshank`);
/// - 0.8: both words have at least 5 letters and differ by one edit, or by two when both have
///   at least 8 (insertion, deletion, substitution or swap of neighbours: `stroy` → `story`);
/// - 0 otherwise.
///
/// Lengths count bytes of normalised text, which are letters for Latin titles.
enum WordSimilarity {
    /// The credit of a word typed as is.
    static let exactCredit = 1.0
    /// The credit of a word typed as the start of the title's word.
    static let prefixCredit = 0.9
    /// The credit of a word typed with one or two typos.
    static let typoCredit = 0.8
    /// The shortest word a prefix counts for.
    static let shortestPrefix = 3
    /// The shortest word a typo is forgiven in.
    static let shortestTypoWord = 5
    /// The shortest word two typos are forgiven in.
    static let shortestDoubleTypoWord = 8
    /// The longest word compared for typos; longer words must match exactly or as a prefix.
    static let longestTypoWord = 32

    /// The credit of query word `word` (or its numeral spelling `numeral`) for title word `title`.
    /// `rows` is scratch memory of at least `3 × (longestTypoWord + 1)` integers.
    static func credit(
        of word: UnsafeRawBufferPointer, numeral: UnsafeRawBufferPointer?,
        for title: UnsafeRawBufferPointer, rows: UnsafeMutableBufferPointer<Int>
    ) -> Double {
        if bytesEqual(word, title) { return exactCredit }
        if let numeral, bytesEqual(numeral, title) { return exactCredit }
        if word.count >= shortestPrefix, word.count < title.count,
            bytesEqual(word, UnsafeRawBufferPointer(rebasing: title[0..<word.count]))
        {
            return prefixCredit
        }
        let shorter = min(word.count, title.count), longer = max(word.count, title.count)
        guard shorter >= shortestTypoWord, longer <= longestTypoWord else { return 0 }
        let limit = shorter >= shortestDoubleTypoWord ? 2 : 1
        guard longer - shorter <= limit,
            (letterPresence(word) ^ letterPresence(title)).nonzeroBitCount <= 2 * limit
        else { return 0 }
        return editDistance(word, title, limit: limit, rows: rows) <= limit ? typoCredit : 0
    }

    /// Which bytes occur in `word`, folded onto 64 bits. One edit changes the set of bytes
    /// present by at most two (a substitution removes one and adds one), and folding only
    /// merges differences, so words whose sets differ by more than `2 × limit` bits are more
    /// than `limit` edits apart: a cheap test before the distance table.
    static func letterPresence(_ word: UnsafeRawBufferPointer) -> UInt64 {
        var presence: UInt64 = 0
        for byte in word { presence |= 1 << UInt64(byte & 63) }
        return presence
    }

    private static func bytesEqual(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else { return false }
        for index in 0..<left.count where left[index] != right[index] { return false }
        return true
    }

    /// The optimal-string-alignment distance between `left` and `right` (both at most
    /// `longestTypoWord` bytes), or `limit + 1` as soon as it must exceed `limit`.
    /// `rows` is scratch memory of at least `3 × (right.count + 1)` integers.
    static func editDistance(
        _ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer,
        limit: Int, rows: UnsafeMutableBufferPointer<Int>
    ) -> Int {
        guard !left.isEmpty, !right.isEmpty else { return max(left.count, right.count) }
        let width = right.count + 1
        guard rows.count >= 3 * width else { return limit + 1 }
        // Three rows of the distance table, rotated: the one before the previous, the previous, the current.
        var beforePrevious = 0, previous = width, current = 2 * width
        for column in 0..<width { rows[previous + column] = column }
        for row in 1...left.count {
            rows[current] = row
            var rowMinimum = row
            for column in 1..<width {
                let cost = left[row - 1] == right[column - 1] ? 0 : 1
                var distance = min(
                    rows[previous + column] + 1, rows[current + column - 1] + 1,
                    rows[previous + column - 1] + cost)
                if row > 1, column > 1, left[row - 1] == right[column - 2], left[row - 2] == right[column - 1] {
                    distance = min(distance, rows[beforePrevious + column - 2] + 1)
                }
                rows[current + column] = distance
                rowMinimum = min(rowMinimum, distance)
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return rows[previous + width - 1]
    }

    /// The fewest edits that turn `word` into the first `word.count - limit` to
    /// `word.count + limit` bytes of `title` (a word still being typed, with a typo), or
    /// `limit + 1` when more are needed. `rows` is scratch memory as for `editDistance`.
    static func prefixEditDistance(
        of word: UnsafeRawBufferPointer, toStartOf title: UnsafeRawBufferPointer,
        limit: Int, rows: UnsafeMutableBufferPointer<Int>
    ) -> Int {
        let shortest = max(word.count - limit, 1), longest = min(word.count + limit, title.count)
        guard shortest <= longest else { return limit + 1 }
        var best = limit + 1
        for length in shortest...longest where best > 0 {
            best = min(best, editDistance(word, UnsafeRawBufferPointer(rebasing: title[0..<length]), limit: limit, rows: rows))
        }
        return best
    }

    /// Small words that say little about which movie is meant: they do not count towards
    /// coverage, so `the` alone never fuzzy-matches `The Net`.
    static let stopWords = [
        "a", "an", "and", "at", "by", "de", "del", "della", "der", "des", "di", "die", "du", "el", "en", "et",
        "for", "from", "gli", "il", "in", "la", "las", "le", "les", "lo", "los", "of", "on", "the", "to",
        "un", "una", "und", "une", "with", "y",
    ]

    private static let packedStopWords: [UInt64] = stopWords.map { pack($0.utf8) }.sorted()

    /// Whether `word` is one of `stopWords`.
    static func isStopWord(_ word: UnsafeRawBufferPointer) -> Bool {
        guard word.count <= 5 else { return false }
        return packedStopWords.sortedPosition(of: pack(word)) != nil
    }

    /// A word of up to 7 bytes packed with its length, so words of different lengths never collide.
    private static func pack<Word: Collection<UInt8>>(_ word: Word) -> UInt64 {
        var packed = UInt64(word.count)
        for byte in word { packed = packed << 8 | UInt64(byte) }
        return packed
    }

    /// Whether `word` names a number, as a sequel does: all digits, or a Roman numeral from
    /// `ii` to `xx` (`i`, `v` and `x` are too often plain words or letters to count).
    static func isNumber(_ word: ArraySlice<UInt8>) -> Bool {
        guard !word.isEmpty else { return false }
        if word.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) { return true }
        return word.count > 1 && romanNumerals.contains(String(decoding: word, as: UTF8.self))
    }

    /// The other spelling of a number from 1 to 20: `2` ↔ `ii`.
    static func numeralAlternative(_ word: ArraySlice<UInt8>) -> [UInt8]? {
        let text = String(decoding: word, as: UTF8.self)
        if let index = romanNumerals.firstIndex(of: text) { return Array(String(index + 1).utf8) }
        if let number = Int(text), (1...romanNumerals.count).contains(number), text.first != "0" {
            return Array(romanNumerals[number - 1].utf8)
        }
        return nil
    }

    private static let romanNumerals = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
        "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ]
}
