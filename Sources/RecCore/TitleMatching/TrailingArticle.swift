/// A title written MovieLens style, with its article after a comma at the end:
/// `Lord of the Rings, The`, `Misérables, Les`, `Appartement, L'`.
struct TrailingArticle {
    /// The articles recognised after a final comma, lowercase. Other words after a comma, as
    /// in `Paris, Texas`, are part of the title.
    static let articles = [
        "the", "a", "an", // English
        "la", "le", "les", "l'", "un", "une", // French
        "el", "los", "las", "una", // Spanish
        "il", "i", "lo", "gli", // Italian
        "o", // Portuguese
        "das", "der", "die", // German
        "det", "den", // Scandinavian
    ]

    /// The article, for example `The` or `L'`.
    let article: Range<Int>
    /// The title before the comma, for example `Lord of the Rings`.
    let rest: Range<Int>

    /// Finds the trailing article of `segment`, or nil when it has none.
    init?(in scalars: [Unicode.Scalar], segment: Range<Int>) {
        guard let comma = scalars[segment].lastIndex(of: ",") else { return nil }
        let article = TitleStructure.trimmed(scalars, (comma + 1)..<segment.upperBound)
        let rest = TitleStructure.trimmed(scalars, segment.lowerBound..<comma)
        guard !rest.isEmpty, Self.isArticle(scalars[article]) else { return nil }
        self.article = article
        self.rest = rest
    }

    /// Whether the article ends with an apostrophe, so the title follows it without a space.
    func isElided(in scalars: [Unicode.Scalar]) -> Bool {
        guard let last = article.last else { return false }
        return scalars[last] == "'" || scalars[last] == "\u{2019}"
    }

    /// The articles packed as up to three lowercase ASCII bytes, for an allocation-free check.
    private static let packedArticles: Set<UInt32> = Set(articles.compactMap { pack($0.unicodeScalars[...]) })

    private static func isArticle(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let packed = pack(word) else { return false }
        return packedArticles.contains(packed)
    }

    /// `word` lowercased and packed into an integer, or nil when it is not 1 to 3 ASCII
    /// letters and apostrophes.
    private static func pack<Word: Collection<Unicode.Scalar>>(_ word: Word) -> UInt32? {
        guard (1...3).contains(word.count) else { return nil }
        var packed: UInt32 = 0
        for scalar in word {
            var value = scalar.value == 0x2019 ? UInt32(UInt8(ascii: "'")) : scalar.value
            if (0x41...0x5A).contains(value) { value += 0x20 }
            guard (0x61...0x7A).contains(value) || value == UInt32(UInt8(ascii: "'")) else { return nil }
            packed = packed << 8 | value
        }
        return packed
    }
}
