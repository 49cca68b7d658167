import Foundation

extension Duration {
    /// The duration in seconds, as the `Double` that timings, progress reports and log fields use.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

extension Double {
    /// The value with four decimals, the precision of every RMSE and recall in the log and the metadata.
    public var fourDecimals: String { String(format: "%.4f", self) }
}
