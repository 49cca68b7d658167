/// A query normalised for matching, with a trailing year split off when it has one.
///
/// The year is recognised on the normalised text, so `Toy Story (1990)` and `Toy Story 1990`
/// behave the same: a final four-digit word from `plausibleYears` after at least one other
/// word. `1941` alone is a title, not a year.
struct NormalizedQuery {
    /// The years a final number is read as.
    static let plausibleYears = 1870...2099

    /// The whole normalised query, year included.
    let bytes: [UInt8]
    /// The normalised query without its trailing year (all of it when there is none).
    let text: ArraySlice<UInt8>
    /// The trailing year, if any.
    let year: Int?

    init(_ query: String) {
        bytes = TitleNormalizer.normalizedBytes(of: query)
        if let space = bytes.lastIndex(of: UInt8(ascii: " ")), let year = Self.year(bytes[(space + 1)...]) {
            text = bytes[..<space]
            self.year = year
        } else {
            text = bytes[...]
            year = nil
        }
    }

    private static func year(_ word: ArraySlice<UInt8>) -> Int? {
        guard word.count == 4 else { return nil }
        var year = 0
        for byte in word {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            year = year * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return plausibleYears.contains(year) ? year : nil
    }
}
