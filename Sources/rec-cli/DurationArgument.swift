import ArgumentParser

/// A length of time on the command line: `5s`, `500ms`, `2m`, `1h`, or a bare number of seconds.
struct DurationArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// The length in seconds, always > 0.
    let seconds: Double

    /// Parses `argument`; `nil` (a usage error) for anything else or for zero.
    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.0) && Double(argument.dropLast($0.0.count)) != nil }
        guard let value = Double(unit.map { String(argument.dropLast($0.0.count)) } ?? argument), value.isFinite, value > 0
        else { return nil }
        seconds = value * (unit?.1 ?? 1)
    }

    /// A duration of `seconds`.
    init(seconds: Double) { self.seconds = seconds }

    /// `5s`.
    var description: String { "\(CLIFormat.number(seconds))s" }

    /// Shown in `--help` as the default.
    var defaultValueDescription: String { description }
}
