import Logging

/// Reads `REC_*` values out of one environment dictionary, each kind of value by one rule, so
/// that every setting of a kind accepts the same spellings and fails with the same message.
///
/// An unset or empty variable means "use the default"; any other value must parse, or the
/// reader throws a `SettingsError` naming the variable and what it accepts.
package struct SettingReader: Sendable {
    /// The environment being read.
    package let environment: [String: String]

    /// A reader of `environment`.
    package init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The value of `name`, nil when unset or empty.
    package func text(_ name: String) -> String? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        return text
    }

    /// A whole number from `range`, or `defaultValue` when unset.
    package func wholeNumber(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(SettingsError) -> Int {
        guard let text = text(name) else { return defaultValue }
        return try Self.wholeNumber(text, setting: name, range: range)
    }

    /// `text` as a whole number from `range`: ASCII digits only, no sign, at most ten of them.
    package static func wholeNumber(_ text: String, setting: String, range: ClosedRange<Int>) throws(SettingsError) -> Int {
        let digits = text.utf8
        guard digits.count <= 10, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text), range.contains(number)
        else {
            throw SettingsError(
                .invalidNumber, setting: setting, value: text,
                reason: "not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A yes/no switch (`1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`, any case), or
    /// `defaultValue` when unset.
    package func switchValue(_ name: String, default defaultValue: Bool) throws(SettingsError) -> Bool {
        guard let text = text(name) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            throw SettingsError(.invalidSwitch, setting: name, value: text, reason: "not one of 1, 0, true, false, yes, no, on, off")
        }
    }

    /// A log level by `LogConfiguration.level(named:)`, or `defaultValue` when unset.
    package func logLevel(_ name: String, default defaultValue: Logger.Level) throws(SettingsError) -> Logger.Level {
        guard let text = text(name) else { return defaultValue }
        guard let level = LogConfiguration.level(named: text) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingsError(.invalidLevel, setting: name, value: text, reason: "not a log level (\(names))")
        }
        return level
    }

    /// A positive byte count by `LogConfiguration.byteCount(_:)`, or `defaultValue` when unset.
    package func byteCount(_ name: String, default defaultValue: Int) throws(SettingsError) -> Int {
        guard let text = text(name) else { return defaultValue }
        guard let bytes = LogConfiguration.byteCount(text), bytes > 0 else {
            throw SettingsError(
                .invalidByteCount, setting: name, value: text, reason: "not a positive byte count such as 10485760, 512K or 10M")
        }
        return bytes
    }
}
