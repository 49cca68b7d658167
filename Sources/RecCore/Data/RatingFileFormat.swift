/// The layout of a ratings file, detected from its first lines.
///
/// RecServe reads MovieLens' `::` files, CSV exports (with or without a header) and the
/// tab-separated `u.data` of MovieLens-100k, with or without a timestamp column.
public struct RatingFileFormat: Sendable, Equatable, CustomStringConvertible {
    /// How the fields of a line are separated.
    public enum Separator: String, Sendable, Equatable {
        /// `1::2::5`, MovieLens-1M and -10M.
        case doubleColon = "::"
        /// `1,2,5`, CSV exports such as ml-latest's `ratings.csv`.
        case comma = ","
        /// `1\t2\t5` or runs of spaces and tabs, MovieLens-100k's `u.data`.
        case whitespace = "whitespace"
    }

    /// The field separator.
    public var separator: Separator
    /// Whether the first line is a header (its first field is not a number).
    public var hasHeader: Bool
    /// 3 (`user, movie, rating`) or 4 (`user, movie, rating, timestamp`).
    public var columnCount: Int

    /// Creates a format description.
    public init(separator: Separator, hasHeader: Bool, columnCount: Int) {
        self.separator = separator
        self.hasHeader = hasHeader
        self.columnCount = columnCount
    }

    /// For example `'::'-separated, 4 columns, no header`.
    public var description: String {
        let separatorName = separator == .whitespace ? "whitespace" : "'\(separator.rawValue)'"
        return "\(separatorName)-separated, \(columnCount) columns, \(hasHeader ? "with" : "no") header"
    }
}
