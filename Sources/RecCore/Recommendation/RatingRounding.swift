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
    ///
    /// A validated model never yields a rating that is not finite; should one come anyway, it
    /// is written as 0 rather than trapping (NaN) or overflowing (±∞ is clamped to ±10¹²).
    public static func fourDecimalsScaled(_ rating: Float) -> Int {
        guard !rating.isNaN else { return 0 }
        return Int((min(max(Double(rating), -1e12), 1e12) * 10_000).rounded())
    }
}
