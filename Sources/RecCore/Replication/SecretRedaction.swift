/// Removes credentials from text before it is logged or shown.
///
/// The object storage tool reads the credentials from the environment; RecServe never puts them
/// on a command line or in a file, and passes every line of the tool's output through
/// `redact(_:)`, so even a tool that echoed a secret back could not get it into the log.
public struct SecretRedaction: Sendable, Equatable {
    /// The environment variables whose values are secrets.
    public static let secretVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
    /// What a secret is replaced with.
    public static let placeholder = "[redacted]"

    /// The secret values, longest first so that one containing another is removed whole.
    public let secrets: [String]

    /// Redacts the values of `secretVariables` in `environment` (values under 4 characters
    /// are too short to search for without mangling ordinary words, and are not real keys).
    public init(environment: [String: String]) {
        secrets = Self.secretVariables.compactMap { environment[$0] }.filter { $0.count >= 4 }
            .sorted { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `placeholder`.
    public func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacing($1, with: Self.placeholder) }
    }
}
