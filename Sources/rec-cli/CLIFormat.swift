import Foundation

/// Number formatting shared by the commands' output.
enum CLIFormat {
    /// An RMSE or MAE to four decimals: `0.8319`.
    static func rmse(_ value: Double) -> String { value.fourDecimals }

    /// A number without trailing zeros: `0.05`, `128`.
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
    }

    /// Seconds as `m:ss`.
    static func duration(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded()))
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// Writes `text` and a newline to standard error.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
