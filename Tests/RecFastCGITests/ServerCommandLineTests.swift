import RecCore
import RecFastCGI
import Testing

struct ServerCommandLineTests {
    @Test func parsesTheModes() throws {
        #expect(try ServerCommandLine(parsing: []) == .master)
        #expect(try ServerCommandLine(parsing: ["--help"]) == .help)
        #expect(try ServerCommandLine(parsing: ["-h"]) == .help)
        #expect(try ServerCommandLine(parsing: ["--version"]) == .version)
        #expect(try ServerCommandLine(parsing: ["--worker"]) == .worker(maximumRequests: 0))
        #expect(try ServerCommandLine(parsing: ["--worker", "--max-requests", "950"]) == .worker(maximumRequests: 950))
    }

    @Test(arguments: [
        ["--wrker"], ["--worker", "--max-requests"], ["--worker", "--max-requests", "x"], ["--worker", "extra"], ["master"],
    ])
    func refusesUnknownArguments(arguments: [String]) {
        #expect(throws: SettingsError.self) { try ServerCommandLine(parsing: arguments) }
    }

    @Test func launcherArgumentsRoundTrip() throws {
        let launcher = WorkerLauncher(programName: "/usr/bin/rec-fcgi", listeningDescriptor: 10, lifelineDescriptor: 11)
        let arguments = launcher.arguments(maximumRequests: 1_234)
        #expect(arguments.first == "/usr/bin/rec-fcgi")
        #expect(try ServerCommandLine(parsing: Array(arguments.dropFirst())) == .worker(maximumRequests: 1_234))
    }
}
