import RecCore

/// What `rec-fcgi` was asked to do by its arguments.
///
/// `rec-fcgi` alone runs the master, which starts its own workers as `rec-fcgi --worker
/// --max-requests N`; everything else comes from the environment (see `RecSettings`).
public enum ServerCommandLine: Sendable, Equatable {
    /// Run the master.
    case master
    /// Run one worker that serves `maximumRequests` requests (0: no limit).
    case worker(maximumRequests: Int)
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
        The master starts workers itself as `rec-fcgi --worker --max-requests N`.
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
            var maximumRequests = 0
            var index = 1
            while index < arguments.count {
                guard arguments[index] == "--max-requests", index + 1 < arguments.count else {
                    throw SettingsError(
                        .invalidArgument, setting: "argument", value: arguments[index],
                        reason: "unknown worker argument; expected --max-requests N")
                }
                let text = arguments[index + 1]
                maximumRequests = try SettingReader.wholeNumber(
                    text, setting: "--max-requests", range: ServingConfiguration.maximumRequestsRange)
                index += 2
            }
            self = .worker(maximumRequests: maximumRequests)
        default:
            throw SettingsError(
                .invalidArgument, setting: "argument", value: first, reason: "unknown argument; see rec-fcgi --help")
        }
    }
}
