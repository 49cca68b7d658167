/// Rounding of predicted ratings for output.
public enum RatingRounding {
    /// The decimal places ratings are shown with.
    public static let places = 4

    /// `rating` rounded to four decimals, as the API and the CLI's JSON output show it.
    public static func fourDecimals(_ rating: Float) -> Double {
        Double(fourDecimalsScaled(rating)) / 10_000
    }

    /// `rating × 10⁴` rounded to the nearest whole number (halves away from zero): the digits
    /// of `fourDecimals(rating)`, which `JSONWriter.writeDecimal(scaled:places:to:)` writes
    /// without going through `Double.description`.
    public static func fourDecimalsScaled(_ rating: Float) -> Int {
        Int((Double(rating) * 10_000).rounded())
    }
}
