/// `ObjectStorageClient` over Debian's `rclone`, run as a child process through a
/// `ProcessRunner`: a maintained S3 client, so RecServe signs no request itself.
///
/// Each transfer is one `rclone copyto` on rclone's on-the-fly S3 remote (`:s3:BUCKET/KEY`),
/// so no rclone configuration file is needed. The credentials stay in the environment
/// (`--s3-env-auth`: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, or
/// the AWS shared configuration) and never appear on the command line, where `ps` would show
/// them. rclone retries once at most: the caller (`rec-cli sync`) has its own backoff.
public struct RcloneClient: ObjectStorageClient {
    /// The program to run, `rclone` from `PATH` unless given.
    public var executable: String
    /// The S3 endpoint (`REC_S3_ENDPOINT`), or `nil` for AWS itself.
    public var endpoint: String?
    /// The environment rclone runs in.
    public var environment: [String: String]
    /// The runner that starts rclone.
    public var runner: any ProcessRunner
    private let redaction: SecretRedaction

    /// A client for `endpoint` that runs `executable` with `runner` in `environment`.
    ///
    /// `AWS_CA_BUNDLE`, which rclone's S3 backend cannot load itself, is passed as
    /// `--ca-cert` instead and removed from rclone's environment.
    public init(
        endpoint: String?, environment: [String: String], runner: any ProcessRunner, executable: String = "rclone"
    ) {
        self.executable = executable
        self.endpoint = endpoint
        self.environment = environment
        self.runner = runner
        self.redaction = SecretRedaction(environment: environment)
    }

    /// Downloads with `rclone copyto`; an object that does not exist is `.notFound`.
    public func download(_ name: String, from location: ObjectStoreLocation, to path: String) throws(ObjectStorageError) {
        try transfer(from: remote(location, name), to: path, what: "download \(location)/\(name)", extra: [])
    }

    /// Uploads with `rclone copyto --no-check-dest`, so the object is replaced even when rclone
    /// would think it unchanged (a `CURRENT` of the same size).
    public func upload(_ path: String, to location: ObjectStoreLocation, as name: String) throws(ObjectStorageError) {
        try transfer(from: path, to: remote(location, name), what: "upload \(location)/\(name)", extra: ["--no-check-dest"])
    }

    /// The arguments of one `rclone copyto` from `source` to `destination`.
    func arguments(from source: String, to destination: String, extra: [String]) -> [String] {
        var arguments = [
            "copyto", "--quiet", "--error-on-no-transfer", "--retries", "1", "--low-level-retries", "2",
            "--contimeout", "5s", "--timeout", "30s", "--s3-env-auth", "--s3-no-check-bucket",
            "--s3-provider", endpoint == nil ? "AWS" : "Other",
        ]
        if let endpoint { arguments += ["--s3-endpoint", endpoint] }
        if let bundle = environment["AWS_CA_BUNDLE"], !bundle.isEmpty { arguments += ["--ca-cert", bundle] }
        return arguments + extra + [source, destination]
    }

    private func remote(_ location: ObjectStoreLocation, _ name: String) -> String {
        ":s3:" + location.bucket + "/" + location.key(name)
    }

    private func transfer(from source: String, to destination: String, what: String, extra: [String]) throws(ObjectStorageError) {
        var childEnvironment = environment
        childEnvironment["AWS_CA_BUNDLE"] = nil
        let result = runner.run(
            executable, arguments: arguments(from: source, to: destination, extra: extra), environment: childEnvironment)
        guard result.exitStatus != 0 else { return }
        let said = redaction.redact(Self.lastLines(of: result.standardError))
        let code = Self.code(exitStatus: result.exitStatus, standardError: said)
        throw ObjectStorageError(code, "could not \(what) (rclone exited with \(result.exitStatus)): \(said)")
    }

    /// Classifies a failed rclone run by its exit status (3 directory not found, 4 file not
    /// found, 9 nothing transferred) and, for the rest, by what it said.
    static func code(exitStatus: Int32, standardError: String) -> ObjectStorageError.Code {
        switch exitStatus {
        case 3, 4, 9: return .notFound
        case 126, 127: return .toolMissing
        default: break
        }
        let denials = ["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403", "NoCredentialProviders", "ExpiredToken"]
        return denials.contains(where: standardError.contains) ? .accessDenied : .unavailable
    }

    /// The last three lines of `text`, without rclone's timestamps, at most 600 characters.
    static func lastLines(of text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).suffix(3).map { line in
            // "2026/12/04 19:31:25 ERROR : ..." → "ERROR : ..."
            let fields = line.split(separator: " ", maxSplits: 2)
            return fields.count == 3 && fields[0].contains("/") && fields[1].contains(":") ? String(fields[2]) : String(line)
        }
        let joined = lines.joined(separator: " | ")
        return joined.isEmpty ? "no message" : String(joined.suffix(600))
    }
}
