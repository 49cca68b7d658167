import ArgumentParser
import RecCore

/// `rec-cli publish --to s3://BUCKET/PREFIX`: uploads the current generation, then `CURRENT`.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Upload the current model generation to object storage, file first and CURRENT last.",
        discussion: """
            Verifies the generation CURRENT names (checksum included), uploads model-<g>.recmodel, and only then \
            CURRENT, so a host running `rec-cli sync` never sees a pointer before its file. Uses rclone; the \
            endpoint is \(RecSettings.objectStorageEndpointVariable) (else \(RecSettings.awsEndpointVariable)), \
            the credentials AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the AWS configuration files).
            """
    )

    @Option(help: ArgumentHelp("Where to upload: s3://BUCKET/PREFIX.", valueName: "s3-url"))
    var to: String

    func validate() throws {
        _ = try ObjectStorageArguments.location(to, option: "--to")
    }

    func run() throws {
        let logger = CLIEnvironment.logger
        let location = try ObjectStorageArguments.location(to, option: "--to")
        let workFolder = try ReplicationWorkFolder(dataDirectory: CLIEnvironment.dataDirectory)
        defer { workFolder.remove() }
        let generation = try GenerationUpload.publish(
            store: ModelStore(dataDirectory: CLIEnvironment.dataDirectory), to: location,
            client: ObjectStorageArguments.client(), workFolder: workFolder)
        logger.info("uploaded model generation", metadata: ["generation": "\(generation)", "destination": "\(location)"])
        print("Uploaded generation \(generation) to \(location) (model file, then CURRENT)")
    }
}
