import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real serving stack for one test: `deploy/serve.sh` (the script behind `make serve`)
/// running nginx and the `rec-fcgi` pool on a free loopback port, with its own data folder
/// holding a copy of a model trained once per test run.
final class ServingStack: @unchecked Sendable {
    /// The repository's root folder.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The release binaries the tests were built with.
    static let binaryDirectory = repositoryRoot + "/.build/release"

    /// The data folder this stack serves from (`REC_DATA_DIR`).
    let dataDirectory: String
    /// The port nginx listens on.
    let port: Int
    /// A client for this stack.
    let client: HTTPClient
    private let process: SpawnedProcess

    /// Trains two small generations on the committed MovieLens-1M training file, once per
    /// test run, so the SPEC's title examples resolve, and returns the folder holding them.
    static let trainedModels = Result<String, any Error>(catching: { () throws -> String in
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recserve-serving-models-\(UUID().uuidString)").path
        removeAtExit(folder)
        for seed in [1, 2] {
            let outcome = try run(
                binaryDirectory + "/rec-cli",
                [
                    "train", "--dataset=\(repositoryRoot)/dataset/ratings_train.dat",
                    "--model", "mf", "--no-search", "--seed", "\(seed)",
                    "--hyperparameter", "factors=16", "--hyperparameter", "epochs=8",
                ],
                environment: ["REC_DATA_DIR": folder])
            guard outcome.status == 0 else {
                throw HTTPClientError(description: "training the serving fixture failed: \(outcome.output)")
            }
        }
        return folder
    })

    /// Starts a stack with `workers` workers and `environment` added to the pool's settings,
    /// and waits until `/api/health` answers 200.
    init(workers: Int = 2, environment extra: [String: String] = [:]) throws {
        let models = try Self.trainedModels.get()
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("recserve-serving-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: models + "/model", toPath: dataDirectory + "/model")
        port = try Self.freePort()
        client = HTTPClient(port: port)

        var environment = ProcessInfo.processInfo.environment
        environment["REC_DATA_DIR"] = dataDirectory
        environment["REC_PORT"] = "\(port)"
        environment["REC_WORKERS"] = "\(workers)"
        environment["REC_SKIP_INSTALL"] = "1"
        environment["REC_SKIP_BUILD"] = "1"
        environment["REC_SKIP_TRAIN"] = "1"
        environment["REC_LOG_LEVEL"] = environment["REC_LOG_LEVEL"] ?? "info"
        // The load tests drive one stack from one address as fast as it answers: nginx's
        // per-client request rate is lifted for them (the connection limit stays).
        environment["REC_REQUESTS_PER_CLIENT"] = environment["REC_REQUESTS_PER_CLIENT"] ?? "1000000"
        environment["REC_REQUEST_BURST_PER_CLIENT"] = environment["REC_REQUEST_BURST_PER_CLIENT"] ?? "1000000"
        for (name, value) in extra { environment[name] = value }
        process = try SpawnedProcess(
            ["/bin/bash", Self.repositoryRoot + "/deploy/serve.sh"], environment: environment,
            outputPath: dataDirectory + "/serve-output.log")
        Self.register(self)
        try waitUntilHealthy()
    }

    deinit {
        _ = stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Stacks still running, stopped and their data folders removed when the test process
    /// exits: a suite's shared stack is never deinitialised, and neither a stack nor its
    /// folder may outlive the tests.
    private nonisolated(unsafe) static var running: [ObjectIdentifier: ServingStack] = [:]
    /// Folders shared by the whole run (the trained models), removed when the process exits.
    private nonisolated(unsafe) static var foldersToRemove: [String] = []
    private static let registryLock = NSLock()
    private static let exitHook: Void = {
        atexit {
            ServingStack.registryLock.lock()
            let stacks = Array(ServingStack.running.values)
            ServingStack.registryLock.unlock()
            for stack in stacks { _ = stack.stop() }
            ServingStack.registryLock.lock()
            let folders = ServingStack.foldersToRemove + stacks.map(\.dataDirectory)
            ServingStack.registryLock.unlock()
            for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        }
    }()

    private static func register(_ stack: ServingStack) {
        _ = exitHook
        registryLock.lock()
        running[ObjectIdentifier(stack)] = stack
        registryLock.unlock()
    }

    private static func removeAtExit(_ folder: String) {
        _ = exitHook
        registryLock.lock()
        foldersToRemove.append(folder)
        registryLock.unlock()
    }

    /// The model store of this stack's data folder.
    var modelDirectory: String { dataDirectory + "/model" }

    /// The shared log's contents.
    func log() -> String { (try? String(contentsOfFile: dataDirectory + "/log_file.log", encoding: .utf8)) ?? "" }

    /// The pool master's pid, as `serve.sh` records it.
    func masterPID() throws -> pid_t {
        let text = try String(contentsOfFile: dataDirectory + "/run/rec-fcgi.pid", encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HTTPClientError(description: "no master pid in \(text)")
        }
        return pid
    }

    /// The pids of the master's worker processes.
    func workerPIDs() throws -> [pid_t] {
        let master = try masterPID()
        let children = (try? String(contentsOfFile: "/proc/\(master)/task/\(master)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0) }
    }

    /// Sends SIGTERM to the whole stack (through `serve.sh`) and waits for it; returns its status.
    func stop(timeoutSeconds: Double = 30) -> Int32 {
        process.send(SIGTERM)
        let status = process.wait(seconds: timeoutSeconds)
        Self.registryLock.lock()
        Self.running[ObjectIdentifier(self)] = nil
        Self.registryLock.unlock()
        return status
    }

    /// Sends SIGTERM to the pool master only, as an orchestrator stopping a worker container does.
    func terminateMaster() throws {
        kill(try masterPID(), SIGTERM)
    }

    /// Whether `serve.sh` is still running.
    var isRunning: Bool { process.isRunning }

    /// What `serve.sh`, nginx and the pool printed to their standard streams so far.
    func scriptOutput() -> String {
        (try? String(contentsOfFile: dataDirectory + "/serve-output.log", encoding: .utf8)) ?? ""
    }

    /// Polls `GET /api/health` until it answers 200; throws, with the last answer, after
    /// `timeoutSeconds` or when `serve.sh` has exited.
    func waitUntilHealthy(timeoutSeconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var last = "no answer"
        while Date() < deadline {
            guard process.isRunning else {
                throw HTTPClientError(description: "serve.sh exited with \(process.wait(seconds: 0)): \(scriptOutput())")
            }
            if let response = try? client.send("GET", "/api/health") {
                if response.status == 200 { return }
                last = "\(response.status) \(response.text)"
            }
            usleep(50_000)
        }
        throw HTTPClientError(description: "the stack did not become healthy within \(timeoutSeconds) s: \(last)")
    }

    /// A loopback port that is free right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw HTTPClientError(description: "no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a command to completion and returns its status and combined output.
    static func run(
        _ executable: String, _ arguments: [String], environment extra: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
