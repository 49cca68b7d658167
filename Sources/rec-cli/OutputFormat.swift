import ArgumentParser

/// How `recommend`, `similar` and `search` print their results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// A numbered, human-readable list.
    case text
    /// The HTTP API's JSON shape, for scripts.
    case json
}
