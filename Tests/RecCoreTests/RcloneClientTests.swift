import Testing
@testable import RecCore

/// The rclone command lines `RcloneClient` runs, how it reads their failures, and that no
/// credential reaches a command line or an error message.
struct RcloneClientTests {
    let location = ObjectStoreLocation(parsing: "s3://bucket/models")!
    let environment = [
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY": "s3cr3t/Example+Key", "AWS_CA_BUNDLE": "/etc/ca.pem",
        "PATH": "/usr/bin",
    ]

    @Test func credentialsStayInTheEnvironmentAndNeverOnTheCommandLine() throws {
        let runner = RecordingProcessRunner(result: ProcessResult(exitStatus: 0))
        let client = RcloneClient(endpoint: "http://127.0.0.1:9000", environment: environment, runner: runner)
        try client.upload("/tmp/model-3.recmodel", to: location, as: "model-3.recmodel")
        let call = try #require(runner.calls.first)
        #expect(call.executable == "rclone")
        #expect(Array(call.arguments.suffix(2)) == ["/tmp/model-3.recmodel", ":s3:bucket/models/model-3.recmodel"])
        #expect(call.arguments.contains("--no-check-dest") && call.arguments.contains("--s3-env-auth"))
        #expect(call.arguments.joined(separator: " ").contains("--s3-endpoint http://127.0.0.1:9000"))
        #expect(call.arguments.joined(separator: " ").contains("--ca-cert /etc/ca.pem"))
        #expect(!call.arguments.contains { $0.contains("AKIAEXAMPLEKEY") || $0.contains("s3cr3t") })
        #expect(call.environment["AWS_SECRET_ACCESS_KEY"] == "s3cr3t/Example+Key")
        #expect(call.environment["AWS_CA_BUNDLE"] == nil)
    }

    @Test(arguments: [
        (Int32(3), "directory not found", ObjectStorageError.Code.notFound),
        (9, "", .notFound),
        (127, "env: 'rclone': No such file or directory", .toolMissing),
        (1, "ERROR : InvalidAccessKeyId: The AWS Access Key Id you provided does not exist", .accessDenied),
        (1, "dial tcp 127.0.0.1:9: connect: connection refused", .unavailable),
    ])
    func failuresAreClassified(_ status: Int32, _ output: String, _ code: ObjectStorageError.Code) {
        let runner = RecordingProcessRunner(result: ProcessResult(exitStatus: status, standardError: output))
        let client = RcloneClient(endpoint: nil, environment: environment, runner: runner)
        #expect(storageError { try client.download("CURRENT", from: location, to: "/tmp/x") }?.code == code)
        #expect(runner.calls.first?.arguments.contains("--s3-endpoint") == false)
    }

    @Test func aSecretTheToolPrintsIsRedactedFromTheError() throws {
        let output = "2026/12/04 19:31:25 ERROR : SignatureDoesNotMatch for key AKIAEXAMPLEKEY secret s3cr3t/Example+Key\n"
        let client = RcloneClient(
            endpoint: nil, environment: environment,
            runner: RecordingProcessRunner(result: ProcessResult(exitStatus: 1, standardError: output)))
        let error = try #require(storageError { try client.download("CURRENT", from: location, to: "/tmp/x") })
        let message = "\(error)"
        #expect(error.code == .accessDenied)
        #expect(!message.contains("s3cr3t") && !message.contains("AKIAEXAMPLEKEY"))
        #expect(message.contains(SecretRedaction.placeholder) && !message.contains("2026/12/04"))
    }
}

/// The `ObjectStorageError` that `body` throws, or `nil`.
func storageError(_ body: () throws -> Void) -> ObjectStorageError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ObjectStorageError
    }
}
