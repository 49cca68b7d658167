/// The settings of the FastCGI worker pool, all from environment variables with documented
/// defaults (read with every other setting by `RecSettings`), so `make serve`, the container
/// and the benchmark configure it the same way.
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
/// | `REC_METRICS` | on | the pool's shared counters and `/api/metrics`; off records nothing and `/api/metrics` is 404 |
public struct ServingConfiguration: Sendable, Equatable {
    /// The most workers one master starts.
    public static let maximumWorkers = 256
    /// The largest request body accepted, in nginx and in the worker alike: 64 KiB.
    public static let requestBodyLimit = 64 * 1024
    /// The user a root-started pool runs as when `REC_USER` is not set.
    public static let defaultServiceUser = "nobody"
    /// The values `REC_MAX_REQUESTS` and `rec-fcgi --worker --max-requests` take.
    public static let maximumRequestsRange = 0...1_000_000_000

    /// The variable holding the number of worker processes.
    public static let workersVariable = "REC_WORKERS"
    /// The variable holding the requests after which a worker is replaced.
    public static let maximumRequestsVariable = "REC_MAX_REQUESTS"
    /// The variable holding the drain's grace period in seconds.
    public static let graceSecondsVariable = "REC_GRACE_SECONDS"
    /// The variable holding the per-request deadline in seconds.
    public static let requestTimeoutVariable = "REC_REQUEST_TIMEOUT_SECONDS"
    /// The variable that turns on the benchmark route `GET /bench/hello`.
    public static let helloRouteVariable = "REC_HELLO_ROUTE"
    /// The variable naming the user a root-started pool switches to.
    public static let serviceUserVariable = "REC_USER"
    /// The variable that turns the pool's metrics (`/api/metrics`) on or off.
    public static let metricsVariable = "REC_METRICS"
    /// Every variable this configuration reads, `REC_LISTEN` first.
    public static let variables = [
        ListenAddress.environmentVariable, workersVariable, maximumRequestsVariable, graceSecondsVariable,
        requestTimeoutVariable, helloRouteVariable, serviceUserVariable, metricsVariable,
    ]

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
    /// The user a pool started as root switches to after opening its socket (`PrivilegeDrop` in RecFastCGI).
    public var serviceUser: String
    /// Whether the pool keeps its shared counters and answers `/api/metrics`. Off, nothing is
    /// recorded and `/api/metrics` answers 404 like any unknown path.
    public var metricsEnabled: Bool

    /// A configuration with explicit values.
    public init(
        listenAddress: ListenAddress, workerCount: Int, maximumRequestsPerWorker: Int = 0,
        graceSeconds: Int = 10, requestTimeoutSeconds: Int = 10, helloRouteEnabled: Bool = false,
        serviceUser: String = defaultServiceUser, metricsEnabled: Bool = true
    ) {
        self.listenAddress = listenAddress
        self.workerCount = workerCount
        self.maximumRequestsPerWorker = maximumRequestsPerWorker
        self.graceSeconds = graceSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.helloRouteEnabled = helloRouteEnabled
        self.serviceUser = serviceUser
        self.metricsEnabled = metricsEnabled
    }

    /// The configuration the `REC_*` serving variables describe, with `processorCount` as the
    /// default worker count; part of `RecSettings`.
    ///
    /// - Throws: `SettingsError` for the first value that cannot be used.
    init(reading settings: SettingReader, dataDirectory: DataDirectory, processorCount: Int) throws(SettingsError) {
        if let text = settings.text(ListenAddress.environmentVariable) {
            listenAddress = try ListenAddress(parsing: text)
        } else {
            listenAddress = ListenAddress.defaultAddress(runDirectory: dataDirectory.runDirectory)
        }
        workerCount = try settings.wholeNumber(
            Self.workersVariable, default: min(max(processorCount, 1), Self.maximumWorkers), range: 1...Self.maximumWorkers)
        maximumRequestsPerWorker = try settings.wholeNumber(
            Self.maximumRequestsVariable, default: 0, range: Self.maximumRequestsRange)
        graceSeconds = try settings.wholeNumber(Self.graceSecondsVariable, default: 10, range: 0...3_600)
        requestTimeoutSeconds = try settings.wholeNumber(Self.requestTimeoutVariable, default: 10, range: 1...3_600)
        helloRouteEnabled = try settings.switchValue(Self.helloRouteVariable, default: false)
        serviceUser = settings.text(Self.serviceUserVariable) ?? Self.defaultServiceUser
        metricsEnabled = try settings.switchValue(Self.metricsVariable, default: true)
    }
}
