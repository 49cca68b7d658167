/// Which form of a catalogue title a key of the title-match index is, and the movie's year.
///
/// Keys never contain the year: the year travels in the kind instead, so one key serves
/// queries with and without a year, an exact lookup can check a query's year, and the fuzzy
/// scan can penalise a wrong year without reading any title. Stored in `TitleKeyEntry.kind`
/// as `form.rawValue | year << 16` (year 0 meaning the title has none).
public struct TitleKeyKind: Sendable, Hashable {
    /// The part of the catalogue title a key was derived from.
    public enum Form: UInt8, Sendable, CaseIterable {
        /// The main title with a trailing article moved to the front: `the lord of the rings`.
        case title = 0
        /// The main title without its trailing article: `lord of the rings`.
        case titleWithoutArticle = 1
        /// A parenthesised alternate title, article moved to the front: `the road warrior`.
        case alternateTitle = 2
        /// A parenthesised alternate title without its trailing article: `cite des enfants perdus`.
        case alternateTitleWithoutArticle = 3
        /// The whole title as written, alternates included: `mad max 2 aka the road warrior`,
        /// so a title pasted from the catalogue always finds its movie.
        case fullTitle = 4
    }

    /// The part of the title the key was derived from.
    public var form: Form
    /// The movie's year from its `(year)` suffix, or nil when the title has none.
    public var year: Int?

    /// Creates a kind; a year outside 1...65535 is stored as no year.
    public init(form: Form, year: Int?) {
        self.form = form
        self.year = year.flatMap { (1...Int(UInt16.max)).contains($0) ? $0 : nil }
    }

    /// Decodes a stored kind, or nil when its form is not one this version knows.
    public init?(rawValue: UInt32) {
        guard let form = Form(rawValue: UInt8(truncatingIfNeeded: rawValue)) else { return nil }
        self.init(form: form, year: Self.year(rawValue: rawValue))
    }

    /// The value stored in `TitleKeyEntry.kind`.
    public var rawValue: UInt32 {
        UInt32(form.rawValue) | UInt32(year ?? 0) << 16
    }

    /// The year packed in a stored kind, or nil for none; readable even when the form is unknown.
    public static func year(rawValue: UInt32) -> Int? {
        let year = Int(rawValue >> 16)
        return year == 0 ? nil : year
    }
}
