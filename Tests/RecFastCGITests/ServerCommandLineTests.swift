import RecCore
import RecFastCGI
import Testing

struct ServerCommandLineTests {
    @Test func parsesTheModes() throws {
        #expect(try ServerCommandLine(parsing: []) == .master)
        #expect(try ServerCommandLine(parsing: ["--help"]) == .help)
        #expect(try ServerCommandLine(parsing: ["-h"]) == .help)
        #expect(try ServerCommandLine(parsing: ["--version"]) == .version)
        #expect(try ServerCommandLine(parsing: ["--worker"]) == .worker(maximumRequests: 0, metricsSlot: nil))
        #expect(
            try ServerCommandLine(parsing: ["--worker", "--max-requests", "950"]) == .worker(maximumRequests: 950, metricsSlot: nil))
        #expect(
            try ServerCommandLine(parsing: ["--worker", "--metrics-slot", "2", "--max-requests", "9"])
                == .worker(maximumRequests: 9, metricsSlot: 2))
    }

    @Test(arguments: [
        ["--wrker"], ["--worker", "--max-requests"], ["--worker", "--max-requests", "x"], ["--worker", "extra"], ["master"],
        ["--worker", "--metrics-slot"], ["--worker", "--metrics-slot", "0"], ["--worker", "--metrics-slot", "257"],
    ])
    func refusesUnknownArguments(arguments: [String]) {
        #expect(throws: SettingsError.self) { try ServerCommandLine(parsing: arguments) }
    }

    @Test func launcherArgumentsRoundTrip() throws {
        let launcher = WorkerLauncher(programName: "/usr/bin/rec-fcgi", listeningDescriptor: 10, lifelineDescriptor: 11)
        let arguments = launcher.arguments(maximumRequests: 1_234, metricsSlot: 3)
        #expect(arguments.first == "/usr/bin/rec-fcgi")
        #expect(
            try ServerCommandLine(parsing: Array(arguments.dropFirst())) == .worker(maximumRequests: 1_234, metricsSlot: nil),
            "without a counters file to pass, no slot")
        let counting = WorkerLauncher(
            programName: "rec-fcgi", listeningDescriptor: 10, lifelineDescriptor: 11, metricsDescriptor: 12)
        #expect(
            try ServerCommandLine(parsing: Array(counting.arguments(maximumRequests: 5, metricsSlot: 3).dropFirst()))
                == .worker(maximumRequests: 5, metricsSlot: 3))
    }
}
