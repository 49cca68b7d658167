/// The parts of a MovieLens-style title, as ranges of its scalars:
/// `City of Lost Children, The (Cité des enfants perdus, La) (1995)` has the main title
/// `City of Lost Children, The`, the alternate group `Cité des enfants perdus, La` and the
/// year 1995.
///
/// Parsing reads trailing parenthesised groups from the end: the last one is the year when
/// it holds exactly four digits, the others are alternate titles. Parentheses elsewhere, and
/// unbalanced ones, stay part of the main title.
struct TitleStructure {
    /// The scalars the ranges refer to.
    let scalars: [Unicode.Scalar]
    /// The main title, trimmed.
    private(set) var main: Range<Int>
    /// The content of each trailing parenthesised group other than the year, in order.
    private(set) var alternateGroups: [Range<Int>] = []
    /// The year from a trailing `(dddd)` (1000 to 9999), if any.
    private(set) var year: Int?

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        var groups: [Range<Int>] = []
        var end = Self.trimmed(scalars, 0..<scalars.count).upperBound
        while end > 0, scalars[end - 1] == ")", let open = Self.openingParenthesis(in: scalars, closingAt: end - 1) {
            let before = Self.trimmed(scalars, 0..<open)
            guard !before.isEmpty else { break }
            groups.append(Self.trimmed(scalars, (open + 1)..<(end - 1)))
            end = before.upperBound
        }
        main = Self.trimmed(scalars, 0..<end)
        groups.reverse()
        if let last = groups.last, let year = Self.fourDigitYear(scalars[last]) {
            self.year = year
            groups.removeLast()
        }
        alternateGroups = groups
    }

    /// The single titles inside an alternate group: the group split at `/` and at `a.k.a.`,
    /// so `a.k.a. Sydney, a.k.a. Hard Eight` gives `Sydney` and `Hard Eight`.
    func alternateTitles(in group: Range<Int>) -> [Range<Int>] {
        var titles: [Range<Int>] = []
        var start = group.lowerBound
        var index = group.lowerBound
        func close(at end: Int) {
            var piece = Self.trimmed(scalars, start..<end)
            while let last = piece.last, scalars[last] == "," {
                piece = Self.trimmed(scalars, piece.lowerBound..<last)
            }
            if !piece.isEmpty { titles.append(piece) }
        }
        while index < group.upperBound {
            if scalars[index] == "/" {
                close(at: index)
                index += 1
                start = index
            } else if startsAlsoKnownAs(at: index, before: group.upperBound) {
                close(at: index)
                index += Self.alsoKnownAs.count
                start = index
            } else {
                index += 1
            }
        }
        close(at: group.upperBound)
        return titles
    }

    private static let alsoKnownAs: [Unicode.Scalar] = Array("a.k.a.".unicodeScalars)

    /// Whether `a.k.a.` (any case) starts a word at `index`.
    private func startsAlsoKnownAs(at index: Int, before end: Int) -> Bool {
        guard end - index >= Self.alsoKnownAs.count else { return false }
        if index > 0, scalars[index - 1].properties.isAlphabetic { return false }
        for (offset, expected) in Self.alsoKnownAs.enumerated() {
            let value = scalars[index + offset].value
            let lowered = (0x41...0x5A).contains(value) ? value + 0x20 : value
            guard lowered == expected.value else { return false }
        }
        return true
    }

    /// The index of the `(` that matches the `)` at `closing`, or nil when unbalanced.
    private static func openingParenthesis(in scalars: [Unicode.Scalar], closingAt closing: Int) -> Int? {
        var depth = 0
        var index = closing
        while index >= 0 {
            if scalars[index] == ")" {
                depth += 1
            } else if scalars[index] == "(" {
                depth -= 1
                if depth == 0 { return index }
            }
            index -= 1
        }
        return nil
    }

    private static func fourDigitYear(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        guard scalars.count == 4, scalars.first != "0" else { return nil }
        var year = 0
        for scalar in scalars {
            guard ("0"..."9").contains(scalar) else { return nil }
            year = year * 10 + Int(scalar.value - 0x30)
        }
        return year
    }

    /// `range` without leading and trailing white space.
    static func trimmed(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, isWhitespace(scalars[lower]) { lower += 1 }
        while upper > lower, isWhitespace(scalars[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Unicode's `White_Space`, answered without the property tables for ASCII (tab to
    /// carriage return, and space), which is nearly every title and query.
    @inline(__always)
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }
}
