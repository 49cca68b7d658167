/// A day of the proleptic Gregorian calendar, computed from a count of days since 1970-01-01.
///
/// Log timestamps are rendered for every record, so the conversion is plain integer arithmetic
/// (Howard Hinnant's `civil_from_days`) instead of a `DateFormatter` or a `Calendar`.
struct CivilDate: Equatable {
    /// The year, for example 2026.
    var year: Int64
    /// The month, 1 to 12.
    var month: Int64
    /// The day of the month, 1 to 31.
    var day: Int64

    /// The date that is `daysSinceEpoch` days after (or before, when negative) 1970-01-01.
    init(daysSinceEpoch: Int64) {
        // Shift the epoch to 0000-03-01 so that leap days fall at the end of a year, then
        // split into 400-year eras of 146,097 days each.
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
