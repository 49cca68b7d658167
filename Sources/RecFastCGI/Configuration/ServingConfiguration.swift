import Logging
import RecCore

/// The settings of the FastCGI worker pool, all from environment variables with documented
/// defaults, so `make serve`, the container and the benchmark configure it the same way.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `REC_LISTEN` | `unix:$REC_DATA_DIR/run/rec-fcgi.sock` | where to listen (`unix:PATH` or `tcp:HOST:PORT`) |
/// | `REC_WORKERS` | the number of cores | worker processes |
/// | `REC_MAX_REQUESTS` | 0 (never) | requests after which a worker is replaced, ±10% per worker |
/// | `REC_GRACE_SECONDS` | 10 | how long in-flight requests may take to finish on SIGTERM/SIGINT |
/// | `REC_REQUEST_TIMEOUT_SECONDS` | 10 | the longest one request may take before its worker is replaced |
/// | `REC_HELLO_ROUTE` | off | `1` answers `GET /bench/hello`, the benchmark's ceiling route |
/// | `REC_USER` | `nobody` | the user a pool started as root runs as, once its socket is open (`root` keeps root) |
public struct ServingConfiguration: Sendable, Equatable {
    /// The most workers one master starts.
    public static let maximumWorkers = 256
    /// The largest request body accepted, in nginx and in the worker alike: 64 KiB.
    public static let requestBodyLimit = 64 * 1024

    /// Where the pool listens.
    public var listenAddress: ListenAddress
    /// How many worker processes run.
    public var workerCount: Int
    /// Requests per worker before it is replaced (before jitter); 0 means never.
    public var maximumRequestsPerWorker: Int
    /// How long a drain waits for in-flight requests before killing what is left.
    public var graceSeconds: Int
    /// The per-request deadline, after which the worker is killed and replaced.
    public var requestTimeoutSeconds: Int
    /// Whether workers answer the benchmark route `GET /bench/hello`.
    public var helloRouteEnabled: Bool
    /// The user a pool started as root switches to after opening its socket (`PrivilegeDrop`).
    public var serviceUser: String

    /// A configuration with explicit values.
    public init(
        listenAddress: ListenAddress, workerCount: Int, maximumRequestsPerWorker: Int = 0,
        graceSeconds: Int = 10, requestTimeoutSeconds: Int = 10, helloRouteEnabled: Bool = false,
        serviceUser: String = PrivilegeDrop.defaultUser
    ) {
        self.listenAddress = listenAddress
        self.workerCount = workerCount
        self.maximumRequestsPerWorker = maximumRequestsPerWorker
        self.graceSeconds = graceSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.helloRouteEnabled = helloRouteEnabled
        self.serviceUser = serviceUser
    }

    /// The configuration `environment` describes, with `processorCount` as the default worker count.
    ///
    /// - Throws: `ServingConfigurationError` for the first value that cannot be used.
    public init(environment: [String: String], dataDirectory: DataDirectory, processorCount: Int) throws(ServingConfigurationError) {
        if let text = Self.value("REC_LISTEN", in: environment) {
            listenAddress = try ListenAddress(parsing: text)
        } else {
            listenAddress = ListenAddress.defaultAddress(runDirectory: dataDirectory.runDirectory)
        }
        workerCount = try Self.wholeNumber(
            "REC_WORKERS", in: environment, default: min(max(processorCount, 1), Self.maximumWorkers),
            range: 1...Self.maximumWorkers)
        maximumRequestsPerWorker = try Self.wholeNumber("REC_MAX_REQUESTS", in: environment, default: 0, range: 0...1_000_000_000)
        graceSeconds = try Self.wholeNumber("REC_GRACE_SECONDS", in: environment, default: 10, range: 0...3_600)
        requestTimeoutSeconds = try Self.wholeNumber("REC_REQUEST_TIMEOUT_SECONDS", in: environment, default: 10, range: 1...3_600)
        helloRouteEnabled = try Self.switchValue("REC_HELLO_ROUTE", in: environment, default: false)
        serviceUser = Self.value("REC_USER", in: environment) ?? PrivilegeDrop.defaultUser
    }

    /// The value of `name`, nil when unset or empty.
    private static func value(_ name: String, in environment: [String: String]) -> String? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        return text
    }

    /// A whole number from `range`, or `defaultValue` when unset.
    static func wholeNumber(
        _ name: String, in environment: [String: String], default defaultValue: Int,
        range: ClosedRange<Int>
    ) throws(ServingConfigurationError) -> Int {
        guard let text = value(name, in: environment) else { return defaultValue }
        let digits = text.utf8
        guard digits.count <= 10, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text), range.contains(number) else {
            throw ServingConfigurationError(
                .invalidNumber, setting: name, value: text,
                reason: "not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A yes/no switch, or `defaultValue` when unset.
    static func switchValue(
        _ name: String, in environment: [String: String], default defaultValue: Bool
    ) throws(ServingConfigurationError) -> Bool {
        guard let text = value(name, in: environment) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            throw ServingConfigurationError(.invalidSwitch, setting: name, value: text, reason: "not one of 1, 0, true, false, yes, no")
        }
    }
}

extension ServingConfiguration {
    /// The configuration from `environment`, or `nil` after logging why it is invalid, so the
    /// master and its workers refuse a bad setting the same way.
    public static func loadLoggingFailure(
        environment: [String: String], dataDirectory: DataDirectory,
        logger: Logger
    ) -> ServingConfiguration? {
        do {
            return try ServingConfiguration(
                environment: environment, dataDirectory: dataDirectory,
                processorCount: ServerSystemCalls.onlineProcessorCount())
        } catch {
            logger.critical("invalid serving configuration", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
