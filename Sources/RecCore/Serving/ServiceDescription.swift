/// The `service` object of `/api/info`: which build runs, since when, with how many workers,
/// and which worker answered.
public struct ServiceDescription: Sendable, Equatable {
    /// The build: version, git SHA and build date.
    public var build: BuildInfo
    /// When the server (the prefork master) started, ISO-8601 UTC.
    public var startedAt: String
    /// How many worker processes the master runs.
    public var workers: Int
    /// The process id of the worker that answers.
    public var processID: Int32

    /// Creates a description.
    public init(build: BuildInfo, startedAt: String, workers: Int, processID: Int32) {
        self.build = build
        self.startedAt = startedAt
        self.workers = workers
        self.processID = processID
    }

    /// `{"version", "git_sha", "build_date", "started_at", "workers", "pid"}`.
    public var json: JSONValue {
        .object([
            ("version", .string(build.version)),
            ("git_sha", .string(build.gitSHA)),
            ("build_date", .string(build.buildDate)),
            ("started_at", .string(startedAt)),
            ("workers", .number(Double(workers))),
            ("pid", .number(Double(processID))),
        ])
    }
}
