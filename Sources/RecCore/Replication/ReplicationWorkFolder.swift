#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecConfiguration
import RecSystem

/// A private scratch folder of one `rec-cli publish` or `rec-cli sync` process,
/// `data/run/replication-<pid>`, where downloads land before they are verified.
///
/// Nothing in it is ever served: a verified download is copied into the model folder by
/// `ModelStore.publish(verified:)`, and `empty()` removes every file after each poll.
public struct ReplicationWorkFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// The work folder of this process under `dataDirectory`, created if missing. Work folders
    /// of processes that no longer run (a sync killed mid-download) are removed first.
    public init(dataDirectory: DataDirectory) throws(ReplicationError) {
        Self.removeStaleFolders(in: dataDirectory.runDirectory)
        path = dataDirectory.runDirectory + "/\(Self.namePrefix)\(SystemCalls.processID())"
        do throws(SystemCallError) {
            try SystemCalls.makeDirectories(path, mode: 0o700)
        } catch {
            throw ReplicationError(.localFailure, "cannot create the work folder: \(error)")
        }
    }

    /// The path of `name` in the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to the file `name`, replacing it, and returns its path.
    public func write(_ text: String, to name: String) throws(ReplicationError) -> String {
        let target = file(name)
        do throws(SystemCallError) {
            let descriptor = try SystemCalls.open(target, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600)
            defer { SystemCalls.close(descriptor) }
            try Array(text.utf8).withUnsafeBytes { bytes in
                Result { () throws(SystemCallError) in try SystemCalls.writeAll(descriptor, bytes, subject: target) }
            }.get()
        } catch {
            throw ReplicationError(.localFailure, "cannot write \(target): \(error)")
        }
        return target
    }

    /// Removes every file in the folder (best effort).
    public func empty() {
        for name in (try? SystemCalls.listDirectory(path)) ?? [] { try? SystemCalls.unlink(file(name)) }
    }

    /// The start of a work folder's name; the process id follows.
    static let namePrefix = "replication-"

    /// Removes (best effort) the work folders in `runDirectory` whose process has exited.
    static func removeStaleFolders(in runDirectory: String) {
        for name in (try? SystemCalls.listDirectory(runDirectory)) ?? [] where name.hasPrefix(namePrefix) {
            guard let pid = Int32(name.dropFirst(namePrefix.count)), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            let folder = runDirectory + "/" + name
            for file in (try? SystemCalls.listDirectory(folder)) ?? [] { try? SystemCalls.unlink(folder + "/" + file) }
            rmdir(folder)
        }
    }

    /// Removes the files and the folder itself (best effort), when the process ends.
    public func remove() {
        empty()
        rmdir(path)
    }
}
