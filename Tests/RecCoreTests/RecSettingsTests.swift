import Logging
import RecCore
import Testing

@testable import RecConfiguration

/// `RecSettings` is the one reader of `REC_*` variables: its defaults, every setting it reads,
/// and the one error a malformed value gets.
struct RecSettingsTests {
    private func settings(_ environment: [String: String], processorCount: Int = 2) throws(SettingsError) -> RecSettings {
        try RecSettings(environment: environment, processorCount: processorCount)
    }

    @Test func anEmptyEnvironmentGivesTheDocumentedDefaults() throws {
        let settings = try settings([:])
        #expect(settings.dataDirectory == DataDirectory(root: "data"))
        #expect(settings.log == LogConfiguration())
        #expect(settings.log.fileLevel == .info && settings.log.standardErrorLevel == .warning)
        #expect(settings.log.maximumFileBytes == 10 * 1024 * 1024 && settings.log.backupCount == 1)
        #expect(settings.log.maximumLineBytes == 16 * 1024)
        #expect(
            settings.serving
                == ServingConfiguration(
                    listenAddress: .unix(path: "data/run/rec-fcgi.sock"), workerCount: 2, maximumRequestsPerWorker: 0,
                    graceSeconds: 10, requestTimeoutSeconds: 10, helloRouteEnabled: false, serviceUser: "nobody"))
        #expect(!settings.reloadsAfterTraining && !settings.verbose)
        #expect(settings.adminToken == nil && settings.buildInfoPath == nil && settings.credentialsPath == nil)
        #expect(settings.likelyMisspellings.isEmpty)
    }

    @Test func everySettingIsRead() throws {
        let settings = try settings([
            "REC_DATA_DIR": "/srv/data/", "REC_LOG_LEVEL": "debug", "REC_LOG_MAX_BYTES": "2M", "REC_LOG_BACKUPS": "3",
            "REC_AUTO_RELOAD": "1", "REC_VERBOSE": "yes", "REC_ADMIN_TOKEN": "s3cret", "REC_BUILD_INFO": "/b.json",
            "REC_CREDENTIALS": "/c.json", "REC_LISTEN": "tcp:0.0.0.0:9000", "REC_WORKERS": "4", "REC_MAX_REQUESTS": "10000",
            "REC_GRACE_SECONDS": "0", "REC_REQUEST_TIMEOUT_SECONDS": "3", "REC_HELLO_ROUTE": "on", "REC_USER": "rec",
            "REC_METRICS": "off",
        ])
        #expect(settings.dataDirectory.root == "/srv/data")
        #expect(settings.log == LogConfiguration(fileLevel: .debug, maximumFileBytes: 2 * 1024 * 1024, backupCount: 3))
        #expect(
            settings.serving
                == ServingConfiguration(
                    listenAddress: .tcp(host: "0.0.0.0", port: 9000), workerCount: 4, maximumRequestsPerWorker: 10_000,
                    graceSeconds: 0, requestTimeoutSeconds: 3, helloRouteEnabled: true, serviceUser: "rec", metricsEnabled: false))
        #expect(settings.reloadsAfterTraining && settings.verbose)
        #expect(settings.adminToken == "s3cret" && settings.buildInfoPath == "/b.json" && settings.credentialsPath == "/c.json")
    }

    @Test func theListOfVariablesNamesEveryOneThatIsRead() throws {
        // Each listed variable, set to a value that is valid for it, changes the settings; so
        // the list cannot name a variable that nothing reads.
        let valid: [String: String] = [
            "REC_DATA_DIR": "/x", "REC_LOG_LEVEL": "error", "REC_LOG_MAX_BYTES": "1K", "REC_LOG_BACKUPS": "2",
            "REC_AUTO_RELOAD": "1", "REC_VERBOSE": "1", "REC_ADMIN_TOKEN": "t", "REC_BUILD_INFO": "/b", "REC_CREDENTIALS": "/c",
            "REC_LISTEN": "tcp:1", "REC_WORKERS": "7", "REC_MAX_REQUESTS": "5", "REC_GRACE_SECONDS": "1",
            "REC_REQUEST_TIMEOUT_SECONDS": "2", "REC_HELLO_ROUTE": "1", "REC_USER": "u", "REC_METRICS": "0",
            "REC_S3_ENDPOINT": "http://127.0.0.1:9000",
        ]
        #expect(Set(valid.keys) == Set(RecSettings.variables))
        let defaults = try settings([:])
        for (name, value) in valid {
            #expect(try settings([name: value]) != defaults, "\(name) changed nothing")
        }
    }

    @Test func theS3EndpointIsRecS3EndpointElseTheAWSToolsVariable() throws {
        #expect(try settings([:]).objectStorageEndpoint == nil)
        #expect(try settings(["AWS_ENDPOINT_URL": "http://a:1"]).objectStorageEndpoint == "http://a:1")
        #expect(try settings(["AWS_ENDPOINT_URL": "http://a:1", "REC_S3_ENDPOINT": "http://b:2"]).objectStorageEndpoint == "http://b:2")
    }

    @Test func emptyValuesMeanTheDefault() throws {
        let empty = Dictionary(uniqueKeysWithValues: RecSettings.variables.map { ($0, "") })
        #expect(try settings(empty) == settings([:]))
    }

    static let invalid: [(variable: String, value: String, code: SettingsError.Code)] = [
        ("REC_WORKERS", "0", .invalidNumber),
        ("REC_WORKERS", "257", .invalidNumber),
        ("REC_WORKERS", "two", .invalidNumber),
        ("REC_WORKERS", "-1", .invalidNumber),
        ("REC_WORKERS", " 2", .invalidNumber),
        ("REC_MAX_REQUESTS", "1e6", .invalidNumber),
        ("REC_MAX_REQUESTS", "99999999999999999999", .invalidNumber),
        ("REC_GRACE_SECONDS", "3601", .invalidNumber),
        ("REC_REQUEST_TIMEOUT_SECONDS", "0", .invalidNumber),
        ("REC_HELLO_ROUTE", "maybe", .invalidSwitch),
        ("REC_AUTO_RELOAD", "always", .invalidSwitch),
        ("REC_VERBOSE", "2", .invalidSwitch),
        ("REC_METRICS", "sometimes", .invalidSwitch),
        ("REC_LISTEN", "tcp:host", .invalidListenAddress),
        ("REC_LOG_LEVEL", "loud", .invalidLevel),
        ("REC_LOG_MAX_BYTES", "0", .invalidByteCount),
        ("REC_LOG_MAX_BYTES", "10X", .invalidByteCount),
        ("REC_LOG_BACKUPS", "1000", .invalidNumber),
        ("REC_LOG_BACKUPS", "none", .invalidNumber),
    ]

    @Test(arguments: invalid)
    func aMalformedValueIsOneErrorNamingTheVariable(variable: String, value: String, code: SettingsError.Code) {
        do {
            _ = try settings([variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.code == code)
            #expect(error.setting == variable)
            #expect(error.description.hasPrefix("\(variable)=\"\(value)\": "))
        }
    }

    @Test(arguments: ["1", "true", "YES", "on"], ["0", "false", "No", "OFF"])
    func switchesAcceptTheUsualSpellings(on: String, off: String) throws {
        #expect(try settings(["REC_AUTO_RELOAD": on]).reloadsAfterTraining)
        #expect(try !settings(["REC_AUTO_RELOAD": off]).reloadsAfterTraining)
    }

    @Test(arguments: [("", true), ("1", true), ("on", true), ("0", false), ("false", false), ("Off", false)])
    func metricsAreOnUnlessSwitchedOff(value: String, enabled: Bool) throws {
        #expect(try settings([:]).serving.metricsEnabled)
        #expect(try settings(["REC_METRICS": value]).serving.metricsEnabled == enabled)
        #expect(try settings(["REC_METRIC": "0"]).likelyMisspellings.map(\.suggestion) == ["REC_METRICS"])
    }

    @Test func theDefaultWorkerCountFollowsTheCoresWithinItsRange() throws {
        #expect(try settings([:], processorCount: 3).serving.workerCount == 3)
        #expect(try settings([:], processorCount: 0).serving.workerCount == 1)
        #expect(try settings([:], processorCount: 1_000).serving.workerCount == 256)
    }

    @Test func theDefaultSocketFollowsTheDataFolder() throws {
        #expect(try settings(["REC_DATA_DIR": "/srv/data"]).serving.listenAddress == .unix(path: "/srv/data/run/rec-fcgi.sock"))
    }

    @Test func variablesOneOrTwoLettersFromASettingAreReportedAsLikelyTypos() throws {
        let settings = try settings([
            "REC_WORKER": "4", "REC_LOGLEVEL": "debug", "REC_PORT": "5000", "REC_SKIP_BUILD": "1", "REC_UID": "0", "PATH": "/bin",
        ])
        #expect(
            settings.likelyMisspellings == [
                RecSettings.Misspelling(variable: "REC_LOGLEVEL", suggestion: "REC_LOG_LEVEL"),
                RecSettings.Misspelling(variable: "REC_WORKER", suggestion: "REC_WORKERS"),
            ])
        #expect(settings.likelyMisspellings[1].description == "REC_WORKER is not a RecServe setting; did you mean REC_WORKERS?")
        #expect(settings.serving.workerCount == 2)
    }

    @Test(arguments: [("", "", 0), ("REC_USER", "REC_USER", 0), ("REC_WORKER", "REC_WORKERS", 1), ("abc", "", 3), ("kitten", "sitting", 3)])
    func editDistanceCountsInsertionsDeletionsAndSubstitutions(a: String, b: String, distance: Int) {
        #expect(RecSettings.editDistance(a, b) == distance)
        #expect(RecSettings.editDistance(b, a) == distance)
    }
}
