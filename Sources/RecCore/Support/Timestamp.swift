import Foundation

/// Formats instants for metadata and logs.
public enum Timestamp {
    /// `2026-11-26T18:45:49Z`: ISO-8601 in UTC, to the second.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
