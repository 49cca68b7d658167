/// Turns movie titles and the titles people type into comparable text, so that case,
/// accents, punctuation, MovieLens' trailing articles and the year do not stop a match.
///
/// Both sides of a match go through the same rules, so a title pasted from the catalogue
/// always normalises to its own full-title index key followed by its year:
/// - characters fold as `NormalizedTextWriter` describes: lowercase, no accents, apostrophes
///   and abbreviation dots dropped, `&` read as `and`, any other punctuation a word break;
/// - a trailing article moves to the front (`Lord of the Rings, The` → `the lord of the
///   rings`); an elided article attaches without a space (`Appartement, L'` → `lappartement`);
/// - trailing parenthesised groups are alternate titles, each normalised the same way, and a
///   final `(1995)` is the year, written last as a plain word (`heat 1995`).
///
/// Only the first `maximumInputLength` scalars are read.
public enum TitleNormalizer {
    /// The number of Unicode scalars of a title or query that normalisation reads; the rest is
    /// ignored, which bounds the work of any request.
    public static let maximumInputLength = 500

    /// The articles that move from the end of a title to its front, lowercase.
    public static var trailingArticles: [String] { TrailingArticle.articles }

    /// The normalised text of a title or query, year included: `Misérables, Les (1995)` gives
    /// `les miserables 1995`.
    public static func normalize(_ title: String) -> String {
        String(decoding: normalizedBytes(of: title), as: UTF8.self)
    }

    /// Every key under which the title-match index finds the movie with this catalogue title.
    ///
    /// The keys are the main title, each alternate title (groups are split at `/` and
    /// `a.k.a.`), each of those without its trailing article, and the whole title as
    /// `normalize` writes it; none includes the year, which the kinds carry. Duplicates and
    /// empty keys are left out; the order is the order of `TitleKeyKind.Form`.
    public static func indexKeys(of title: String) -> [TitleIndexKey] {
        indexKeyBytes(of: title).map { TitleIndexKey(text: String(decoding: $0.bytes, as: UTF8.self), kind: $0.kind) }
    }

    /// The normalised UTF-8 bytes of a title or query, year included.
    static func normalizedBytes(of title: String) -> [UInt8] {
        let structure = TitleStructure(TitleInputScalars.scalars(of: title))
        var writer = NormalizedTextWriter(capacity: structure.scalars.count + 8)
        writeWholeTitle(structure, into: &writer)
        if let year = structure.year {
            writer.separateWords()
            for digit in String(year).unicodeScalars { writer.write(digit) }
        }
        return writer.bytes
    }

    /// The index keys of a catalogue title as UTF-8 bytes.
    static func indexKeyBytes(of title: String) -> [(bytes: [UInt8], kind: TitleKeyKind)] {
        let structure = TitleStructure(TitleInputScalars.scalars(of: title))
        var keys: [(bytes: [UInt8], kind: TitleKeyKind)] = []
        var seen = Set<[UInt8]>()
        func add(_ bytes: [UInt8], _ form: TitleKeyKind.Form) {
            guard !bytes.isEmpty, seen.insert(bytes).inserted else { return }
            keys.append((bytes, TitleKeyKind(form: form, year: structure.year)))
        }
        func addTitle(_ segment: Range<Int>, _ form: TitleKeyKind.Form, withoutArticle: TitleKeyKind.Form) {
            var withArticle = NormalizedTextWriter()
            writeMovingArticle(segment, of: structure.scalars, into: &withArticle)
            add(withArticle.bytes, form)
            if let article = TrailingArticle(in: structure.scalars, segment: segment) {
                var bare = NormalizedTextWriter()
                bare.write(structure.scalars[article.rest])
                add(bare.bytes, withoutArticle)
            }
        }
        addTitle(structure.main, .title, withoutArticle: .titleWithoutArticle)
        for group in structure.alternateGroups {
            for alternate in structure.alternateTitles(in: group) {
                addTitle(alternate, .alternateTitle, withoutArticle: .alternateTitleWithoutArticle)
            }
        }
        var whole = NormalizedTextWriter()
        writeWholeTitle(structure, into: &whole)
        add(whole.bytes, .fullTitle)
        return keys
    }

    /// Writes the main title and every alternate group, each with its article moved.
    private static func writeWholeTitle(_ structure: TitleStructure, into writer: inout NormalizedTextWriter) {
        writeMovingArticle(structure.main, of: structure.scalars, into: &writer)
        for group in structure.alternateGroups {
            writer.separateWords()
            writeMovingArticle(group, of: structure.scalars, into: &writer)
        }
    }

    /// Writes `segment` with a trailing article moved to its front.
    private static func writeMovingArticle(_ segment: Range<Int>, of scalars: [Unicode.Scalar], into writer: inout NormalizedTextWriter) {
        guard let article = TrailingArticle(in: scalars, segment: segment) else {
            writer.write(scalars[segment])
            return
        }
        writer.write(scalars[article.article])
        if !article.isElided(in: scalars) { writer.separateWords() }
        writer.write(scalars[article.rest])
    }
}

/// One key of a catalogue title in the title-match index: normalised text and its kind.
public struct TitleIndexKey: Sendable, Hashable {
    /// The normalised text, without the year.
    public var text: String
    /// Which form of the title the key is, and the movie's year.
    public var kind: TitleKeyKind

    /// Creates a key.
    public init(text: String, kind: TitleKeyKind) {
        self.text = text
        self.kind = kind
    }
}
