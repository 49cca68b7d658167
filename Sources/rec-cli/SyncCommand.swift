import ArgumentParser
import Foundation
import RecCore

/// `rec-cli sync --from s3://BUCKET/PREFIX`: keeps this host's model folder and pool on the
/// remote `CURRENT` generation.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Poll object storage and serve each new generation published there.",
        discussion: """
            Each poll reads the remote CURRENT; a new generation is downloaded to a work folder, verified fully \
            (checksum and validation, as a worker does), published to data/model/ like a trained model and \
            served through the reload of /api/reload. A file that fails verification is refused and logged; \
            the host keeps serving. Errors (unreachable bucket, refused credentials, no CURRENT) are logged \
            and retried after the interval doubled per failure, up to --max-backoff. Uses rclone, with the \
            endpoint and credentials of `rec-cli publish`.
            """
    )

    @Option(help: ArgumentHelp("Where to read generations from: s3://BUCKET/PREFIX.", valueName: "s3-url"))
    var from: String

    @Option(help: "The time between polls (5s, 500ms, 1m...).")
    var interval = DurationArgument(seconds: 5)

    @Option(help: "The longest wait between polls after consecutive failures.")
    var maxBackoff = DurationArgument(seconds: 60)

    @Flag(help: "Poll once and exit: status 0 if it worked, 1 if it failed or refused the generation.")
    var once = false

    func validate() throws {
        _ = try ObjectStorageArguments.location(from, option: "--from")
    }

    func run() throws {
        let logger = CLIEnvironment.logger
        let location = try ObjectStorageArguments.location(from, option: "--from")
        let workFolder = try ReplicationWorkFolder(dataDirectory: CLIEnvironment.dataDirectory)
        defer { workFolder.remove() }
        var sync = GenerationSync(
            location: location, dataDirectory: CLIEnvironment.dataDirectory, client: ObjectStorageArguments.client(),
            workFolder: workFolder, logger: logger)
        var backoff = SyncBackoff(intervalSeconds: interval.seconds, maximumSeconds: maxBackoff.seconds)
        logger.info("sync started", metadata: ["source": "\(location)", "interval_seconds": "\(interval.seconds)"])
        while true {
            let wait: Double
            do {
                let outcome = try sync.poll()
                report(outcome)
                if once {
                    if case .refused(_, let error) = outcome { throw SyncRefusal(message: "refused the remote generation: \(error)") }
                    return
                }
                wait = backoff.recordSuccess()
            } catch let error as ReplicationError {
                if once { throw error }
                wait = backoff.recordFailure()
                logger.error(
                    "sync poll failed; serving continues unchanged",
                    metadata: [
                        "source": "\(location)", "code": "\(error.code.rawValue)", "error": "\(error.message)",
                        "retry_in_seconds": "\(CLIFormat.number(wait))", "consecutive_failures": "\(backoff.consecutiveFailures)",
                    ])
            }
            Thread.sleep(forTimeInterval: wait)
        }
    }

    /// Prints what a poll did (the sync has logged publications and refusals itself).
    private func report(_ outcome: SyncOutcome) {
        switch outcome {
        case .unchanged(let remote):
            if once { print("Remote generation \(remote) is already handled") }
        case .alreadyCurrent(let remote, let local):
            print("Remote generation \(remote) is already the local generation \(local)")
        case .published(let remote, let publication, let reload):
            let served: String
            switch reload {
            case .success(let outcome): served = "now served as generation \(outcome.generation)"
            case .failure(let error): served = "but the reload failed: \(error)"
            }
            print("Published remote generation \(remote) as local generation \(publication.generation), \(served)")
        case .refused(let remote, let error):
            CLIFormat.printError("Refused remote generation \(remote): \(error)")
        }
        // A sync beside a pool usually writes to a file, which would otherwise hold the lines back.
        fflush(nil)
    }
}
