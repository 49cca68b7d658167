/// A data file (ratings or movie catalogue) that could not be read, with where and why.
///
/// The message always names the file and, for content problems, the 1-based line, so a
/// user can open the file at the right place; nothing malformed is ever skipped silently.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, for callers that branch on it.
    public enum Code: String, Sendable, Equatable {
        /// The file does not exist or cannot be read.
        case unreadableFile = "unreadable_file"
        /// The file holds no data rows.
        case emptyFile = "empty_file"
        /// The separator or layout could not be recognised.
        case unknownFormat = "unknown_format"
        /// One line does not follow the file's format.
        case malformedLine = "malformed_line"
    }

    /// The kind of failure.
    public var code: Code
    /// The path of the file, as given by the caller.
    public var file: String
    /// The 1-based line number, when the problem is on one line.
    public var line: Int?
    /// A human sentence saying what was wrong.
    public var reason: String

    /// Creates an error; `line` is 1-based.
    public init(_ code: Code, file: String, line: Int? = nil, reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, the form compilers use, so editors can jump to it.
    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
