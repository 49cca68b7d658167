import RecCore

/// What `rec-fcgi` was asked to do by its arguments.
///
/// `rec-fcgi` alone runs the master, which starts its own workers as `rec-fcgi --worker
/// --max-requests N [--metrics-slot S]`; everything else comes from the environment (see
/// `RecSettings`).
public enum ServerCommandLine: Sendable, Equatable {
    /// Run the master.
    case master
    /// Run one worker that serves `maximumRequests` requests (0: no limit) and, when
    /// `metricsSlot` is set, counts them in that slot of the shared counters file the master
    /// passed as descriptor 4.
    case worker(maximumRequests: Int, metricsSlot: Int?)
    /// Print the usage.
    case help
    /// Print the version.
    case version

    /// The usage text.
    public static let usage = """
        usage: rec-fcgi            run the FastCGI worker pool (master and workers)
               rec-fcgi --help     show this text
               rec-fcgi --version  show the version

        The master listens on REC_LISTEN (default unix:$REC_DATA_DIR/run/rec-fcgi.sock) and runs
        REC_WORKERS single-threaded workers (default: one per core). Other settings:
        REC_MAX_REQUESTS (0: never recycle), REC_GRACE_SECONDS (10), REC_REQUEST_TIMEOUT_SECONDS (10),
        REC_HELLO_ROUTE (0), REC_DATA_DIR (./data), REC_LOG_LEVEL (info).
        SIGTERM/SIGINT drain the pool, SIGHUP reloads the served model.
        REC_METRICS (1) keeps the pool's counters for GET /api/metrics.
        The master starts workers itself as `rec-fcgi --worker --max-requests N [--metrics-slot S]`.
        """

    /// Parses the arguments after `argv[0]`.
    public init(parsing arguments: [String]) throws(SettingsError) {
        guard let first = arguments.first else {
            self = .master
            return
        }
        switch first {
        case "--help", "-h":
            self = .help
        case "--version":
            self = .version
        case "--worker":
            self = try Self.parseWorker(options: arguments.dropFirst())
        default:
            throw SettingsError(
                .invalidArgument, setting: "argument", value: first, reason: "unknown argument; see rec-fcgi --help")
        }
    }

    /// A worker from the options after `--worker`: `--max-requests N` and `--metrics-slot S`,
    /// each at most once, in any order.
    private static func parseWorker(options: ArraySlice<String>) throws(SettingsError) -> ServerCommandLine {
        var maximumRequests = 0
        var metricsSlot: Int?
        var index = options.startIndex
        while index < options.endIndex {
            let option = options[index]
            guard option == "--max-requests" || option == "--metrics-slot", index + 1 < options.endIndex else {
                throw SettingsError(
                    .invalidArgument, setting: "argument", value: option,
                    reason: "unknown worker argument; expected --max-requests N or --metrics-slot S")
            }
            let text = options[index + 1]
            if option == "--max-requests" {
                maximumRequests = try SettingReader.wholeNumber(
                    text, setting: option, range: ServingConfiguration.maximumRequestsRange)
            } else {
                metricsSlot = try SettingReader.wholeNumber(text, setting: option, range: 1...ServingConfiguration.maximumWorkers)
            }
            index += 2
        }
        return .worker(maximumRequests: maximumRequests, metricsSlot: metricsSlot)
    }
}
