import Foundation
import Testing
@testable import RecCore

/// Where `/api/info` gets its `credentials` and `service` build fields from.
struct ServiceInfoTests {
    let folder = TemporaryDirectory()

    @Test func theCommittedCredentialsFileIsTheBuiltInFallback() throws {
        let committed = FixturePaths.repositoryRoot + "/" + ServiceCredentials.relativePath
        let parsed = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: committed))))
        #expect(parsed == ServiceCredentials.builtIn)
        let loaded = ServiceCredentials.load(configuredPath: committed)
        #expect(loaded.source == committed)
        #expect(loaded.credentials == parsed)
    }

    @Test func credentialsAreFoundAboveTheExecutableAndFallBackToTheBuiltInCopy() throws {
        let paths = ServiceCredentials.candidatePaths(
            configuredPath: nil, executablePath: "/repo/.build/x86_64-unknown-linux-gnu/release/rec-fcgi")
        #expect(
            paths == [
                "deploy/credentials.json", "/app/deploy/credentials.json",
                "/repo/.build/x86_64-unknown-linux-gnu/release/deploy/credentials.json",
                "/repo/.build/x86_64-unknown-linux-gnu/deploy/credentials.json", "/repo/.build/deploy/credentials.json",
                "/repo/deploy/credentials.json",
            ])
        let missing = ServiceCredentials.load(configuredPath: folder.file("none.json"))
        #expect(missing.source == "built-in")
        #expect(missing.credentials == ServiceCredentials.builtIn)
        try Array("[1, 2]".utf8).write(to: folder.file("array.json"))
        #expect(
            ServiceCredentials.load(configuredPath: folder.file("array.json")).source == "built-in")
    }

    @Test func buildInfoComesFromTheFileTheSettingsName() throws {
        let path = folder.file("build-info.json")
        try Array(#"{"version": "1.2.3", "git_sha": "0123abc", "build_date": "2026-11-26T19:20:41Z"}"#.utf8).write(to: path)
        let info = BuildInfo.load(configuredPath: path, executablePath: nil)
        #expect(info == BuildInfo(version: "1.2.3", gitSHA: "0123abc", buildDate: "2026-11-26T19:20:41Z", source: path))
    }

    @Test func missingBuildFieldsFallBackOneByOne() throws {
        let executable = folder.file("rec-fcgi")
        try Array("binary".utf8).write(to: executable)
        let modified = Date(timeIntervalSince1970: 1_764_172_841)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: executable)
        let fallback = BuildInfo.load(configuredPath: nil, executablePath: executable)
        #expect(fallback.version == RecServeVersion.current)
        #expect(fallback.gitSHA == "unknown")
        #expect(fallback.buildDate == "2025-11-26T16:00:41Z")

        try Array(#"{"git_sha": "feed42", "build_date": ""}"#.utf8).write(to: folder.file(BuildInfo.fileName))
        let partial = BuildInfo.load(configuredPath: nil, executablePath: executable)
        #expect(partial.gitSHA == "feed42")
        #expect(partial.version == RecServeVersion.current)
        #expect(partial.buildDate == "2025-11-26T16:00:41Z")
        #expect(partial.source == folder.file(BuildInfo.fileName), "found next to the executable")

        let unreadable = BuildInfo.load(
            configuredPath: folder.file("missing.json"), executablePath: executable)
        #expect(unreadable.gitSHA == "unknown", "a named file that cannot be read falls back, without searching elsewhere")
    }

    @Test func theServiceObjectHasTheSpecFields() throws {
        let json = ServingFixture.service.json
        #expect(
            json
                == .object([
                    ("version", .string("0.1.0")), ("git_sha", .string("abc1234")), ("build_date", .string("2026-11-26T12:00:00Z")),
                    ("started_at", .string("2026-11-26T12:30:00Z")), ("workers", .number(2)), ("pid", .number(4242)),
                ]))
    }
}
