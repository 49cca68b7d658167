#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecSystem

extension SharedMetricsFile {
    /// How many file names the master tries before giving up.
    static let maximumFileNumber = 64

    /// The path of counters file number `number` in `runDirectory`: `metrics-<number>`.
    package static func path(runDirectory: String, number: Int) -> String {
        runDirectory + "/metrics-\(number)"
    }

    /// Creates the master's counters file: the first `metrics-<n>` in `runDirectory` that no live
    /// pool holds, zeroed and laid out for `layout`.
    ///
    /// Each master holds an exclusive `flock` on its file for its lifetime (its workers share the
    /// lock through the inherited descriptor), so pools sharing one data folder, as Compose's
    /// worker containers do, each take their own file; a file left by a pool that has gone is
    /// taken again and started from zero, as any exporter's counters restart with its process.
    /// A name that cannot be opened (another user's file) is skipped.
    package static func create(runDirectory: String, layout: MetricsLayout) throws(MetricsError) -> SharedMetricsFile {
        do throws(SystemCallError) {
            try SystemCalls.makeDirectories(runDirectory)
        } catch {
            throw MetricsError(.cannotCreate, "cannot create the run folder for the shared counters: \(error)", systemCallError: error)
        }
        var lastError: SystemCallError?
        for number in 0..<maximumFileNumber {
            let path = path(runDirectory: runDirectory, number: number)
            do throws(SystemCallError) {
                if let file = try claim(path: path, layout: layout) { return file }
            } catch {
                lastError = error
            }
        }
        throw MetricsError(
            .cannotCreate,
            "no shared counters file could be created in \(runDirectory): \(lastError.map { "\($0)" } ?? "\(maximumFileNumber) pools hold one")",
            systemCallError: lastError)
    }

    /// Opens, locks, empties, sizes and maps `path`; `nil` when another pool holds it.
    private static func claim(path: String, layout: MetricsLayout) throws(SystemCallError) -> SharedMetricsFile? {
        let descriptor = try SystemCalls.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode: 0o600)
        do throws(SystemCallError) {
            guard try SystemCalls.tryLockExclusive(descriptor, subject: path) else {
                SystemCalls.close(descriptor)
                return nil
            }
            // Truncating to zero first discards every old count; extending gives zero pages.
            try SystemCalls.ftruncate(descriptor, length: 0, subject: path)
            try SystemCalls.ftruncate(descriptor, length: layout.fileBytes, subject: path)
        } catch {
            SystemCalls.close(descriptor)
            throw error
        }
        let file: SharedMetricsFile
        do throws(MetricsError) {
            file = try map(descriptor: descriptor, path: path, layout: layout, errorCode: .cannotCreate)
        } catch {
            SystemCalls.close(descriptor)
            throw error.systemCallError ?? SystemCallError(call: "mmap", subject: path, errorNumber: EINVAL)
        }
        file.storeHeader(layoutVersion, at: HeaderWord.layoutVersion)
        file.storeHeader(UInt64(layout.slotCount), at: HeaderWord.slotCount)
        file.storeHeader(UInt64(layout.slotStrideBytes), at: HeaderWord.slotStride)
        file.storeHeader(layout.fingerprint, at: HeaderWord.fingerprint)
        file.storeHeader(UInt64(SystemCalls.processID()), at: HeaderWord.masterProcessID)
        file.storeHeader(magic, at: HeaderWord.magic)
        return file
    }
}
