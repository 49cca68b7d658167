import RecModels
import RecSystem

/// The `credentials` object of `/api/info`: who made RecServe, how to reach them, and the
/// licence, from the committed file `deploy/credentials.json`.
///
/// Keeping them in a file rather than in code lets packaging ship the same file in the image
/// and lets maintainers change a contact without a rebuild. The file is looked for, in order:
/// 1. the path in `REC_CREDENTIALS` (`RecSettings.credentialsPath`), when it is set;
/// 2. `deploy/credentials.json` under the working directory (`make serve` runs from the repository);
/// 3. `/app/deploy/credentials.json` (the container image);
/// 4. `deploy/credentials.json` in the executable's folder or up to four folders above it
///    (a binary under `.build/` finds the repository's copy).
///
/// If none can be read as a JSON object, `builtIn` stands in, which holds the same text as the
/// committed file (a test keeps the two equal), so `/api/info` always names its authors.
public enum ServiceCredentials {
    /// The file's path relative to the repository or image root.
    public static let relativePath = "deploy/credentials.json"
    /// Where the container image keeps the file.
    public static let containerPath = "/app/deploy/credentials.json"

    /// The committed `deploy/credentials.json`, used when the file cannot be found.
    public static let builtIn: JSONValue = .object([
        (
            "authors",
            .array([
                .object([
                    ("name", .string("RecServe maintainers")),
                    ("email", .string("maintainers@users.noreply.r-seed-b0118ead.example")),
                ])
            ])
        ),
        ("contact", .string("maintainers@users.noreply.r-seed-b0118ead.example")),
        ("issues", .string("Report bugs and questions as issues on the RecServe repository.")),
        (
            "license",
            .string(
                "RecServe code: all rights reserved by the RecServe maintainers (no open-source licence has been chosen). MovieLens data: GroupLens Research, for research use only (see dataset/README.md)."
            )
        ),
    ])

    /// The credentials object and the path it came from (`built-in` for `builtIn`).
    ///
    /// - Parameters:
    ///   - configuredPath: The file `REC_CREDENTIALS` names (`RecSettings.credentialsPath`), if any.
    ///   - executablePath: The running executable; `/proc/self/exe` by default.
    public static func load(
        configuredPath: String?,
        executablePath: String? = SystemCalls.executablePath()
    ) -> (credentials: JSONValue, source: String) {
        for path in candidatePaths(configuredPath: configuredPath, executablePath: executablePath) {
            guard let bytes = try? FileContents.bytes(atPath: path), let document = try? JSONParser.parse(bytes),
                case .object = document
            else { continue }
            return (document, path)
        }
        return (builtIn, "built-in")
    }

    /// The paths `load` tries, in order.
    public static func candidatePaths(configuredPath: String?, executablePath: String?) -> [String] {
        if let configured = configuredPath, !configured.isEmpty { return [configured] }
        var paths = [relativePath, containerPath]
        if var folder = executablePath.flatMap({ path in path.lastIndex(of: "/").map { String(path[..<$0]) } }) {
            for _ in 0...4 where !folder.isEmpty {
                paths.append(folder + "/" + relativePath)
                guard let slash = folder.lastIndex(of: "/") else { break }
                folder = String(folder[..<slash])
            }
        }
        return paths
    }
}
