import ArgumentParser
import Foundation
import Logging
import RecCore

/// `rec-cli`: train, evaluate and query RecServe models from the command line.
struct RecCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rec-cli",
        abstract: "Train, evaluate and query RecServe movie recommenders.",
        discussion: """
            Models are published to $REC_DATA_DIR/model (default ./data/model); every command \
            appends to $REC_DATA_DIR/log_file.log. Exit status: 0 success, 1 runtime error, 2 usage error.
            """,
        version: RecServeVersion.current,
        subcommands: [
            TrainCommand.self, EvaluateCommand.self, PredictCommand.self, RecommendCommand.self, SimilarCommand.self,
            SearchCommand.self, WarmupCommand.self, InfoCommand.self, BenchCommand.self, PublishCommand.self,
            SyncCommand.self, ImportCommand.self,
        ]
    )
}

/// The entry point: parses arguments, runs the command, and maps failures to the SPEC's
/// exit codes (1 for runtime errors, 2 for usage errors) instead of swift-argument-parser's.
@main
enum RecCLIMain {
    static func main() {
        do {
            var command = try RecCLI.parseAsRoot()
            do {
                try command.run()
            } catch {
                fail(error, command: type(of: command).configuration.commandName ?? "rec-cli")
            }
        } catch {
            fail(error, command: "rec-cli")
        }
    }

    /// Reports `error` and exits: help and version go to standard output with status 0,
    /// usage errors to standard error with status 2, everything else with status 1.
    private static func fail(_ error: any Error, command: String) -> Never {
        if let usage = error as? CLIUsageError {
            CLIFormat.printError("error: \(usage.message)")
            CLIEnvironment.logger.error("usage error", metadata: ["command": "\(command)", "error": "\(usage.message)"])
            exit(2)
        }
        switch RecCLI.exitCode(for: error) {
        case .success:
            print(RecCLI.fullMessage(for: error))
            exit(0)
        case .validationFailure:
            CLIFormat.printError(RecCLI.fullMessage(for: error))
            exit(2)
        default:
            if let exitCode = error as? ExitCode { exit(exitCode.rawValue) }
            CLIFormat.printError("error: \(error)")
            CLIEnvironment.logger.error("command failed", metadata: ["command": "\(command)", "error": "\(error)"])
            exit(1)
        }
    }
}

/// A usage mistake found while running a command (for example an unknown hyper-parameter
/// name), which exits with status 2 like a parsing error.
struct CLIUsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
