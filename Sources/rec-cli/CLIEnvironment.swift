import Foundation
import Logging
import RecCore

/// Process-wide setup shared by every command: the data folder, logging and the façade.
enum CLIEnvironment {
    /// The process environment.
    static let variables = ProcessInfo.processInfo.environment

    /// The data folder (`REC_DATA_DIR`, default `./data`).
    static let dataDirectory = DataDirectory.fromEnvironment(variables)

    /// The CLI's logger; the first use bootstraps logging to `data/log_file.log` (and to
    /// standard error for warnings and errors, or everything from info up with `REC_VERBOSE=1`).
    static let logger: Logger = {
        RecLogging.bootstrap(
            processName: "rec-cli", dataDirectory: dataDirectory,
            standardErrorLevel: variables["REC_VERBOSE"] == "1" ? .info : .warning, environment: variables)
        return Logger(label: "rec-cli")
    }()

    /// The façade over the data folder.
    static func model() -> MyRecModel {
        MyRecModel(dataDirectory: dataDirectory, logger: logger)
    }

    /// Whether standard error is a terminal, so progress can redraw one line.
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
