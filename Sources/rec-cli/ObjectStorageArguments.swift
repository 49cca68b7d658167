import ArgumentParser
import RecCore

/// What `rec-cli publish` and `rec-cli sync` share: parsing `s3://BUCKET/PREFIX` and the rclone
/// client built from the settings and the environment.
enum ObjectStorageArguments {
    /// The location `text` names, or a usage error.
    static func location(_ text: String, option: String) throws -> ObjectStoreLocation {
        guard let location = ObjectStoreLocation(parsing: text) else {
            throw ValidationError(
                "\(option) expects s3://BUCKET/PREFIX with a bucket of 3 to 63 lower-case letters, digits, dots or dashes, not '\(text)'")
        }
        return location
    }

    /// rclone, through `SubprocessRunner`, at `REC_S3_ENDPOINT` (or `AWS_ENDPOINT_URL`), with
    /// this process's environment, so it finds the credentials there.
    static func client() -> RcloneClient {
        RcloneClient(
            endpoint: CLIEnvironment.settings.objectStorageEndpoint, environment: ProcessEnvironment.current(),
            runner: SubprocessRunner())
    }
}
