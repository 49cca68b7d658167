import Foundation
import RecModels
import RecSupport
import RecSystem

/// Which build of RecServe is running: the `version`, `git_sha` and `build_date` of
/// `/api/info`'s `service` object.
///
/// `docker build` (or any packaging step) writes them into a small JSON file,
/// `{"version": "0.1.0", "git_sha": "3f2c1e0", "build_date": "2026-11-26T19:20:41Z"}`, which
/// is looked for, in order:
/// 1. the path in `REC_BUILD_INFO` (`RecSettings.buildInfoPath`), when it is set;
/// 2. `/app/build-info.json`, where the container image puts it;
/// 3. `build-info.json` next to the running executable.
///
/// Missing fields fall back one by one: the version to `RecServeVersion.current`, the git SHA to
/// `unknown`, and the build date to the executable's modification time, which for a binary
/// built in place is when it was built.
public struct BuildInfo: Sendable, Equatable {
    /// Where the container image keeps the file.
    public static let containerPath = "/app/build-info.json"
    /// The file's name when it sits next to the executable.
    public static let fileName = "build-info.json"

    /// The semantic version, for example `0.1.0`.
    public var version: String
    /// The git commit the build came from, or `unknown`.
    public var gitSHA: String
    /// When the build happened, ISO-8601 UTC, or `unknown` when nothing says.
    public var buildDate: String
    /// Where the values came from: the file's path, or a note that they are fallbacks.
    public var source: String

    /// Creates build information.
    public init(version: String, gitSHA: String, buildDate: String, source: String) {
        self.version = version
        self.gitSHA = gitSHA
        self.buildDate = buildDate
        self.source = source
    }

    /// The build information of this process, from the first build-info file found (see the
    /// type's documentation) or the fallbacks.
    ///
    /// - Parameters:
    ///   - configuredPath: The file `REC_BUILD_INFO` names (`RecSettings.buildInfoPath`), if any.
    ///   - executablePath: The running executable; `/proc/self/exe` by default.
    public static func load(configuredPath: String?, executablePath: String? = SystemCalls.executablePath()) -> BuildInfo {
        var candidates: [String] = []
        if let configured = configuredPath, !configured.isEmpty {
            candidates.append(configured)
        } else {
            candidates.append(containerPath)
            if let executablePath, let slash = executablePath.lastIndex(of: "/") {
                candidates.append(String(executablePath[..<slash]) + "/" + fileName)
            }
        }
        let fallback = fallback(executablePath: executablePath)
        for path in candidates {
            guard let bytes = try? FileContents.bytes(atPath: path), let document = try? JSONParser.parse(bytes),
                case .object = document
            else { continue }
            return parse(document, source: path, fallback: fallback)
        }
        return fallback
    }

    /// The values in the JSON object `document`, each missing or non-string one taken from `fallback`.
    public static func parse(_ document: JSONValue, source: String, fallback: BuildInfo) -> BuildInfo {
        func text(_ key: String) -> String? {
            guard let value = document[key]?.string, !value.isEmpty else { return nil }
            return value
        }
        return BuildInfo(
            version: text("version") ?? fallback.version, gitSHA: text("git_sha") ?? fallback.gitSHA,
            buildDate: text("build_date") ?? fallback.buildDate, source: source)
    }

    /// The values used when no build-info file says otherwise.
    public static func fallback(executablePath: String?) -> BuildInfo {
        var buildDate = "unknown"
        if let executablePath, let status = try? SystemCalls.fileStatus(executablePath) {
            buildDate = UTCTimestamp(secondsSinceEpoch: status.modificationNanoseconds / 1_000_000_000).iso8601WholeSeconds
        }
        return BuildInfo(
            version: RecServeVersion.current, gitSHA: "unknown", buildDate: buildDate,
            source: "no build-info file; the build date is the executable's modification time")
    }
}
