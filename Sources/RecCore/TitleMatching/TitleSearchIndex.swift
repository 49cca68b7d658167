/// The words of every key of a title-match index, each with the keys it occurs in: what the
/// movie search (`TitleSearch`) looks a query's words up in, built once per loaded generation.
///
/// The vocabulary is every distinct word of the normalised keys, sorted by its bytes, so an
/// exact word is a binary search and the words a typed prefix can finish are one contiguous
/// range. Each word lists its postings: the index entries holding it and at which word
/// position. A key's year counts as one more word after its title words, so `heat 1995` finds
/// *Heat (1995)* word by word. The words are also grouped by length, so the words a typo can
/// reach are read without scanning the rest.
///
/// It owns its memory and reads the index only while being built. On MovieLens-1M's 5,366
/// keys it holds about 7,000 words and 33,000 postings, some 250 KB, and takes a few
/// milliseconds to build. An entry whose key lies outside the key bytes or whose item is not
/// below `itemCount` is left out, so a damaged index gives wrong answers at worst.
public final class TitleSearchIndex: Sendable {
    /// The word positions indexed per key (a year included); later words of a key are not.
    public static let maximumKeyWords = 64
    /// The entries indexed, so that an entry and a word position pack into one `UInt32`;
    /// entries past it are found only by the fuzzy fallback.
    public static let maximumEntries = 1 << 24

    /// The concatenated bytes of the vocabulary's words, in ascending byte order.
    let wordBytes: [UInt8]
    /// `wordCount + 1` offsets into `wordBytes`.
    let wordStarts: [UInt32]
    /// Which bytes each word holds, folded onto 64 bits (`WordSimilarity.letterPresence`).
    let wordLetters: [UInt64]
    /// The word ids ordered by length, then id.
    let wordsByLength: [UInt32]
    /// For each length `n`, where its words start in `wordsByLength`; one more at the end.
    let lengthStarts: [UInt32]
    /// `wordCount + 1` offsets into `postings`.
    let postingStarts: [UInt32]
    /// `entry << 8 | word position` for each occurrence, ascending within a word.
    let postings: [UInt32]
    /// The item of each indexed entry (-1 for one left out).
    let entryItems: [Int32]
    /// How many title words each entry's key has, its year not counted (at most 255).
    let entryTitleWords: [UInt8]
    /// The year of each item from its keys, 0 for none.
    private let itemYears: [UInt16]

    /// One word occurrence while building: its bytes in the scratch text, and its posting.
    private struct Occurrence {
        var start: Int
        var length: Int
        /// The first eight bytes, big-endian and zero-padded, which order most pairs at once.
        var prefix: UInt64
        var posting: UInt32
    }

    /// Indexes the words of `index`, whose items are `0..<itemCount`.
    public init(index: TitleIndexView, itemCount: Int) {
        let collected = TitleSearchIndex.collectOccurrences(of: index, itemCount: itemCount)
        var occurrences = collected.occurrences
        collected.text.withUnsafeBytes { text in
            occurrences.sort { left, right in
                if left.prefix != right.prefix { return left.prefix < right.prefix }
                let order = TitleSearchIndex.compare(text, left, right)
                return order != 0 ? order < 0 : left.posting < right.posting
            }
        }
        var wordBytes: [UInt8] = [], wordStarts: [UInt32] = [0], wordLetters: [UInt64] = []
        var postingStarts: [UInt32] = [], postings: [UInt32] = []
        postings.reserveCapacity(occurrences.count)
        collected.text.withUnsafeBytes { text in
            var previous: Occurrence?
            for occurrence in occurrences {
                if previous.map({ $0.prefix != occurrence.prefix || TitleSearchIndex.compare(text, $0, occurrence) != 0 }) ?? true {
                    let word = UnsafeRawBufferPointer(rebasing: text[occurrence.start..<(occurrence.start + occurrence.length)])
                    wordBytes.append(contentsOf: word)
                    wordStarts.append(UInt32(wordBytes.count))
                    wordLetters.append(WordSimilarity.letterPresence(word))
                    postingStarts.append(UInt32(postings.count))
                }
                postings.append(occurrence.posting)
                previous = occurrence
            }
        }
        postingStarts.append(UInt32(postings.count))
        let grouped = TitleSearchIndex.groupByLength(wordStarts)
        wordsByLength = grouped.words
        lengthStarts = grouped.starts
        self.wordBytes = wordBytes
        self.wordStarts = wordStarts
        self.wordLetters = wordLetters
        self.postingStarts = postingStarts
        self.postings = postings
        entryItems = collected.entryItems
        entryTitleWords = collected.entryTitleWords
        itemYears = collected.itemYears
    }

    /// Every word occurrence of the valid entries, with each entry's item and title word count
    /// and each item's year.
    private static func collectOccurrences(
        of index: TitleIndexView, itemCount: Int
    ) -> (text: [UInt8], occurrences: [Occurrence], entryItems: [Int32], entryTitleWords: [UInt8], itemYears: [UInt16]) {
        let entryCount = min(index.entries.count, maximumEntries)
        var text: [UInt8] = [], occurrences: [Occurrence] = []
        var entryItems = [Int32](repeating: -1, count: entryCount), entryTitleWords = [UInt8](repeating: 0, count: entryCount)
        var itemYears = [UInt16](repeating: 0, count: max(itemCount, 0))
        func add(_ word: some Collection<UInt8>, entry: Int, position: Int) {
            var prefix: UInt64 = 0
            for (offset, byte) in word.prefix(8).enumerated() { prefix |= UInt64(byte) << UInt64(56 - 8 * offset) }
            occurrences.append(Occurrence(start: text.count, length: word.count, prefix: prefix, posting: posting(entry, position)))
            text.append(contentsOf: word)
        }
        for position in 0..<entryCount {
            let entry = index.entries[position]
            guard entry.item >= 0, Int(entry.item) < itemCount else { continue }
            let key = index.key(of: entry)
            var words = 0
            TitleTrigrams.forEachWord(in: key) { range in
                guard words < maximumKeyWords else { return }
                add(key[range], entry: position, position: words)
                words += 1
            }
            entryItems[position] = entry.item
            entryTitleWords[position] = UInt8(min(words, Int(UInt8.max)))
            guard let year = TitleKeyKind.year(rawValue: entry.kind) else { continue }
            itemYears[Int(entry.item)] = UInt16(year)
            if words < maximumKeyWords { add(Array(String(year).utf8), entry: position, position: words) }
        }
        return (text, occurrences, entryItems, entryTitleWords, itemYears)
    }

    /// The ordering of two occurrences' bytes: negative, zero or positive.
    private static func compare(_ text: UnsafeRawBufferPointer, _ left: Occurrence, _ right: Occurrence) -> Int {
        for offset in 0..<min(left.length, right.length) {
            let difference = Int(text[left.start + offset]) - Int(text[right.start + offset])
            if difference != 0 { return difference }
        }
        return left.length - right.length
    }

    /// The word ids ordered by length (a counting sort), and where each length starts.
    private static func groupByLength(_ wordStarts: [UInt32]) -> (words: [UInt32], starts: [UInt32]) {
        let lengths = (0..<(wordStarts.count - 1)).map { Int(wordStarts[$0 + 1] - wordStarts[$0]) }
        var starts = [UInt32](repeating: 0, count: (lengths.max() ?? 0) + 2)
        for length in lengths { starts[length + 1] += 1 }
        for length in 1..<starts.count { starts[length] += starts[length - 1] }
        var next = starts, words = [UInt32](repeating: 0, count: lengths.count)
        for (word, length) in lengths.enumerated() {
            words[Int(next[length])] = UInt32(word)
            next[length] += 1
        }
        return (words, starts)
    }

    /// The posting of word position `position` of entry `entry`.
    static func posting(_ entry: Int, _ position: Int) -> UInt32 {
        UInt32(entry) << 8 | UInt32(position)
    }

    /// The number of distinct words.
    public var wordCount: Int { wordStarts.count - 1 }

    /// The number of word occurrences indexed.
    public var postingCount: Int { postings.count }

    /// The year of `item` from its catalogue title (`1977` for *Star Wars (1977)*), or nil
    /// when it has none or is not an item of the index.
    public func year(ofItem item: Int) -> Int? {
        guard item >= 0, item < itemYears.count, itemYears[item] != 0 else { return nil }
        return Int(itemYears[item])
    }
}
