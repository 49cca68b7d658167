import Foundation
import Logging
import RecCore

/// Process-wide setup shared by every command: the settings, logging and the façade.
enum CLIEnvironment {
    /// The `REC_*` settings, read from the environment on first use. A malformed value ends the
    /// process with status 2 and a message naming the variable, before anything is logged.
    static let settings: RecSettings = {
        do {
            return try RecSettings.fromProcessEnvironment()
        } catch {
            CLIFormat.printError("error: invalid setting: \(error)")
            exit(2)
        }
    }()

    /// The data folder (`REC_DATA_DIR`, default `./data`).
    static var dataDirectory: DataDirectory { settings.dataDirectory }

    /// The CLI's logger; the first use bootstraps logging to `data/log_file.log` (and to
    /// standard error for warnings and errors, or everything from info up with `REC_VERBOSE=1`).
    static let logger: Logger = {
        RecLogging.bootstrap(processName: "rec-cli", settings: settings, standardErrorLevel: settings.verbose ? .info : .warning)
        return Logger(label: "rec-cli")
    }()

    /// The façade over the data folder.
    static func model() -> MyRecModel {
        MyRecModel(settings: settings, logger: logger)
    }

    /// Whether standard error is a terminal, so progress can redraw one line.
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
