import Foundation
import Synchronization
@testable import RecCore

/// An `ObjectStorageClient` over a local folder (the "bucket"), which records every transfer
/// and fails the ones a test asks it to.
final class FolderObjectStorage: ObjectStorageClient, @unchecked Sendable {
    let bucket = TemporaryDirectory()
    private let state = Mutex<(transfers: [String], failures: [String: ObjectStorageError])>(([], [:]))

    /// `upload NAME` or `download NAME`, in order.
    var transfers: [String] { state.withLock { $0.transfers } }

    /// Makes every transfer of `name` (or of every object, for `*`) fail with `error`.
    func fail(_ name: String, with error: ObjectStorageError?) {
        state.withLock { $0.failures[name] = error }
    }

    /// Puts `bytes` at `name` directly, as another publisher (or an attacker) would.
    func put(_ bytes: [UInt8], as name: String) throws {
        try bytes.write(to: path(name, in: ObjectStoreLocation(parsing: "s3://bucket/models")!))
    }

    func path(_ name: String, in location: ObjectStoreLocation) -> String {
        bucket.file(location.key(name).replacingOccurrences(of: "/", with: "_"))
    }

    func download(_ name: String, from location: ObjectStoreLocation, to path: String) throws(ObjectStorageError) {
        try record("download \(name)", name)
        guard let data = FileManager.default.contents(atPath: self.path(name, in: location)) else {
            throw ObjectStorageError(.notFound, "\(name) is not in the bucket")
        }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw ObjectStorageError(.unavailable, "cannot write \(path)")
        }
    }

    func upload(_ path: String, to location: ObjectStoreLocation, as name: String) throws(ObjectStorageError) {
        try record("upload \(name)", name)
        guard let data = FileManager.default.contents(atPath: path),
            FileManager.default.createFile(atPath: self.path(name, in: location), contents: data)
        else { throw ObjectStorageError(.unavailable, "cannot copy \(path)") }
    }

    private func record(_ transfer: String, _ name: String) throws(ObjectStorageError) {
        let failure = state.withLock { state in
            state.transfers.append(transfer)
            return state.failures[name] ?? state.failures["*"]
        }
        if let failure { throw failure }
    }
}

/// A `ProcessRunner` that records its calls and answers with a set result.
final class RecordingProcessRunner: ProcessRunner, @unchecked Sendable {
    struct Call {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
    }

    private let state = Mutex<[Call]>([])
    let result: ProcessResult

    init(result: ProcessResult) { self.result = result }

    var calls: [Call] { state.withLock { $0 } }

    func run(_ executable: String, arguments: [String], environment: [String: String]) -> ProcessResult {
        state.withLock { $0.append(Call(executable: executable, arguments: arguments, environment: environment)) }
        return result
    }
}
