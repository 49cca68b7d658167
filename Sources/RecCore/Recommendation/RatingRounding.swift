/// Rounding of predicted ratings for output.
public enum RatingRounding {
    /// `rating` rounded to four decimals, as the API and the CLI's JSON output show it.
    public static func fourDecimals(_ rating: Float) -> Double {
        (Double(rating) * 10_000).rounded() / 10_000
    }
}
