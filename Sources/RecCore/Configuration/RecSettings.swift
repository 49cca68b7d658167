import RecSystem

/// Every `REC_*` setting a RecServe process reads, parsed once at the program's edge and then
/// passed down as a value, so no library reads the environment behind its caller's back.
///
/// | variable | default | field |
/// |---|---|---|
/// | `REC_DATA_DIR` | `./data` | `dataDirectory` |
/// | `REC_LOG_LEVEL`, `REC_LOG_MAX_BYTES`, `REC_LOG_BACKUPS` | `info`, 10 MiB, 1 | `log` |
/// | `REC_AUTO_RELOAD` | off | `reloadsAfterTraining` |
/// | `REC_VERBOSE` | off | `verbose` |
/// | `REC_ADMIN_TOKEN` | unset | `adminToken` |
/// | `REC_BUILD_INFO` | unset | `buildInfoPath` |
/// | `REC_CREDENTIALS` | unset | `credentialsPath` |
/// | `REC_S3_ENDPOINT` (else `AWS_ENDPOINT_URL`) | unset (AWS) | `objectStorageEndpoint` |
/// | `REC_LISTEN`, `REC_WORKERS`, `REC_MAX_REQUESTS`, `REC_GRACE_SECONDS`, `REC_REQUEST_TIMEOUT_SECONDS`, `REC_HELLO_ROUTE`, `REC_USER`, `REC_METRICS` | see `ServingConfiguration` | `serving` |
///
/// An unset or empty variable takes its default. A malformed value is a `SettingsError` that
/// names the variable; `rec-cli` and `rec-fcgi` print it and exit with status 2. Switches
/// accept `1`, `true`, `yes`, `on` and `0`, `false`, `no`, `off`.
public struct RecSettings: Sendable, Equatable {
    /// The variable that makes `rec-cli train` reload the API after publishing.
    public static let autoReloadVariable = "REC_AUTO_RELOAD"
    /// The variable that makes `rec-cli` show info records on standard error too.
    public static let verboseVariable = "REC_VERBOSE"
    /// The variable holding the token that `/api/reload` requires.
    public static let adminTokenVariable = "REC_ADMIN_TOKEN"
    /// The variable naming the build-info file of `/api/info` (see `BuildInfo`).
    public static let buildInfoVariable = "REC_BUILD_INFO"
    /// The variable naming the credentials file of `/api/info` (see `ServiceCredentials`).
    public static let credentialsVariable = "REC_CREDENTIALS"
    /// The variable naming the S3 endpoint of `rec-cli publish --to` and `rec-cli sync --from`.
    public static let objectStorageEndpointVariable = "REC_S3_ENDPOINT"
    /// The AWS tools' own endpoint variable, used when `REC_S3_ENDPOINT` is unset.
    public static let awsEndpointVariable = "AWS_ENDPOINT_URL"

    /// Every variable a RecServe process reads.
    public static let variables: [String] =
        [
            DataDirectory.environmentVariable, LogConfiguration.levelVariable, LogConfiguration.maximumFileBytesVariable,
            LogConfiguration.backupCountVariable, autoReloadVariable, verboseVariable, adminTokenVariable, buildInfoVariable,
            credentialsVariable, objectStorageEndpointVariable,
        ] + ServingConfiguration.variables

    /// Where models, the log and runtime files live.
    public var dataDirectory: DataDirectory
    /// The log's level and rotation; `standardErrorLevel` is `.warning` until a program sets it.
    public var log: LogConfiguration
    /// The worker pool's settings.
    public var serving: ServingConfiguration
    /// Whether `rec-cli train` (`MyRecModel.train`) also reloads the API after publishing.
    public var reloadsAfterTraining: Bool
    /// Whether `rec-cli` shows info records on standard error, not only warnings and errors.
    public var verbose: Bool
    /// The token `/api/reload` requires (`Authorization: Bearer`), or nil for none.
    public var adminToken: String?
    /// The build-info file to read instead of looking in the usual places, or nil.
    public var buildInfoPath: String?
    /// The credentials file to read instead of looking in the usual places, or nil.
    public var credentialsPath: String?
    /// The S3 endpoint URL for object storage (for example a local `moto_server` or MinIO),
    /// or nil for AWS itself. Credentials are not settings: the S3 tool reads them from the
    /// environment or its standard configuration.
    public var objectStorageEndpoint: String?
    /// `REC_*` variables of the environment that RecServe does not read but that are one or two
    /// letters away from one it does, each with the name it probably meant. Programs warn about
    /// them; they are not errors, because scripts pass their own `REC_*` variables through.
    public var likelyMisspellings: [Misspelling]

    /// A `REC_*` variable that looks like a typo of a setting.
    public struct Misspelling: Sendable, Equatable, CustomStringConvertible {
        /// The variable as set, for example `REC_WORKER`.
        public var variable: String
        /// The setting it is closest to, for example `REC_WORKERS`.
        public var suggestion: String

        /// `REC_WORKER is not a RecServe setting; did you mean REC_WORKERS?`
        public var description: String { "\(variable) is not a RecServe setting; did you mean \(suggestion)?" }
    }

    /// The settings `environment` describes.
    ///
    /// - Parameters:
    ///   - environment: Variable names and values, for example `ProcessEnvironment.current()`.
    ///   - processorCount: The default number of workers.
    /// - Throws: `SettingsError` for the first value that cannot be used.
    public init(environment: [String: String], processorCount: Int = SystemCalls.onlineProcessorCount()) throws(SettingsError) {
        let settings = SettingReader(environment)
        dataDirectory = DataDirectory(root: settings.text(DataDirectory.environmentVariable) ?? DataDirectory.defaultPath)
        log = try LogConfiguration(reading: settings)
        serving = try ServingConfiguration(reading: settings, dataDirectory: dataDirectory, processorCount: processorCount)
        reloadsAfterTraining = try settings.switchValue(Self.autoReloadVariable, default: false)
        verbose = try settings.switchValue(Self.verboseVariable, default: false)
        adminToken = settings.text(Self.adminTokenVariable)
        buildInfoPath = settings.text(Self.buildInfoVariable)
        credentialsPath = settings.text(Self.credentialsVariable)
        objectStorageEndpoint = settings.text(Self.objectStorageEndpointVariable) ?? settings.text(Self.awsEndpointVariable)
        likelyMisspellings = Self.misspellings(in: environment.keys)
    }

    /// The settings of this process's environment.
    ///
    /// - Throws: `SettingsError` for the first value that cannot be used.
    public static func fromProcessEnvironment() throws(SettingsError) -> RecSettings {
        try RecSettings(environment: ProcessEnvironment.current())
    }

    /// The `REC_*` names among `names` that are no setting but within two edits of one.
    static func misspellings(in names: some Sequence<String>) -> [Misspelling] {
        names.filter { $0.hasPrefix("REC_") && !variables.contains($0) }.sorted().compactMap { name in
            let scored = variables.map { (setting: $0, distance: editDistance(name, $0)) }
            guard let closest = scored.min(by: { $0.distance < $1.distance }), closest.distance <= 2 else { return nil }
            return Misspelling(variable: name, suggestion: closest.setting)
        }
    }

    /// The Levenshtein distance between `a` and `b`, over their UTF-8 bytes.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let b = Array(b.utf8)
        var previous = Array(0...b.count)
        for (i, byteOfA) in a.utf8.enumerated() {
            var current = [i + 1]
            for (j, byteOfB) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (byteOfA == byteOfB ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
