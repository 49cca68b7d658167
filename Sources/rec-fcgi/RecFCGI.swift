#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RecCore
import RecFastCGI

/// `rec-fcgi`: the FastCGI worker pool behind nginx. Without arguments it runs the master,
/// which starts its workers as `rec-fcgi --worker`.
///
/// Exit codes: 0 after a clean drain, 1 when the pool could not start or workers had to be
/// killed, 2 for a usage or configuration error.
@main
enum RecFCGI {
    /// Dispatches on the arguments: master, worker, help or version.
    static func main() {
        let mode: ServerCommandLine
        do {
            mode = try ServerCommandLine(parsing: Array(CommandLine.arguments.dropFirst()))
        } catch {
            printError("rec-fcgi: \(error)")
            exit(2)
        }
        switch mode {
        case .help:
            print(ServerCommandLine.usage)
        case .version:
            print("rec-fcgi \(RecServeVersion.current)")
        case .master:
            exit(MasterCommand.run(settings: settings()))
        case .worker(let maximumRequests, let metricsSlot):
            exit(WorkerCommand.run(settings: settings(), maximumRequests: maximumRequests, metricsSlot: metricsSlot))
        }
    }

    /// The `REC_*` settings of this process, read once before anything is opened; a malformed
    /// value ends the process with status 2 and a message naming the variable.
    static func settings() -> RecSettings {
        do {
            return try RecSettings.fromProcessEnvironment()
        } catch {
            printError("rec-fcgi: invalid setting: \(error)")
            exit(2)
        }
    }

    /// Writes `message` and a newline to standard error.
    static func printError(_ message: String) {
        let line = Array((message + "\n").utf8)
        line.withUnsafeBytes { bytes in _ = try? SystemCalls.writeAll(STDERR_FILENO, bytes, subject: "standard error") }
    }
}
