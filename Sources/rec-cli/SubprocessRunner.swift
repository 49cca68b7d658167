import Foundation
import RecCore

/// The `ProcessRunner` of `rec-cli`: starts a program with `Foundation.Process`, discards its
/// standard output and keeps its standard error. Every child process of `rec-cli` (the S3
/// tool) is started here.
struct SubprocessRunner: ProcessRunner {
    /// Runs `executable`, looked up in `PATH` by `/usr/bin/env` unless it is a path.
    func run(_ executable: String, arguments: [String], environment: [String: String]) -> ProcessResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return ProcessResult(exitStatus: 127, standardError: "cannot start \(executable): \(error.localizedDescription)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        return ProcessResult(exitStatus: status, standardError: String(decoding: output, as: UTF8.self))
    }
}
