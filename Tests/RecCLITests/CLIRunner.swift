import Foundation

/// Runs the built `rec-cli` binary with its own data folder, the way a user would.
struct CLIRunner {
    /// What a run printed and how it exited.
    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The folder `REC_DATA_DIR` points at for these runs.
    let dataDirectory: String

    /// The repository's root folder, for fixture paths.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// MovieLens-100k's u1 split and catalogue.
    static let movieLens100kFolder = repositoryRoot + "/Tests/Fixtures/ml-100k-u1"

    /// The `rec-cli` next to the test bundle (both are products of the same build), or
    /// `REC_CLI_BINARY` when set.
    static let binary: String = {
        if let override = ProcessInfo.processInfo.environment["REC_CLI_BINARY"] { return override }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("rec-cli").path
    }()

    init() {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("rec-cli-test-\(UUID().uuidString)").path
    }

    /// The shared log every command appends to.
    var logFile: String { dataDirectory + "/log_file.log" }

    /// The log's current contents.
    func log() -> String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Runs `rec-cli arguments...` to completion.
    func run(_ arguments: String...) throws -> Outcome {
        try run(arguments)
    }

    /// Runs `rec-cli` with `arguments` to completion.
    func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["REC_DATA_DIR"] = dataDirectory
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Removes the data folder.
    func cleanUp() {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
