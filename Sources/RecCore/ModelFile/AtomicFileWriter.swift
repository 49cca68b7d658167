#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecSystem

/// Puts a whole file at a path so that every reader, even after a crash or power loss, sees
/// either the old state or the complete new file, never a partial one.
///
/// The bytes go to a temporary file in the same folder, which is fsynced, renamed over the
/// destination, and then the folder is fsynced so the rename itself is durable. Used for both
/// model generations and the `CURRENT` pointer.
enum AtomicFileWriter {
    /// Writes `bytes` to `path` through `temporaryPath`, which must be in the same folder.
    ///
    /// If any step before the rename fails, the temporary file is removed and `path` is
    /// untouched. If the final folder fsync fails, the rename has happened but may not survive
    /// a crash; the error says so by naming the folder.
    static func write(_ bytes: [UInt8], to path: String, temporaryPath: String) throws(SystemCallError) {
        do throws(SystemCallError) {
            try writeSynced(bytes, to: temporaryPath)
            try SystemCalls.rename(temporaryPath, path)
        } catch {
            try? SystemCalls.unlink(temporaryPath)
            throw error
        }
        try SystemCalls.fsyncDirectory(folder(of: path))
    }

    /// Creates or replaces the file at `path` with `bytes` and fsyncs it.
    private static func writeSynced(_ bytes: [UInt8], to path: String) throws(SystemCallError) {
        let descriptor = try SystemCalls.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o644)
        defer { SystemCalls.close(descriptor) }
        try bytes.withUnsafeBytes { bytes in
            Result { () throws(SystemCallError) in try SystemCalls.writeAll(descriptor, bytes, subject: path) }
        }.get()
        try SystemCalls.fsync(descriptor, subject: path)
    }

    /// The folder that holds `path`.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
