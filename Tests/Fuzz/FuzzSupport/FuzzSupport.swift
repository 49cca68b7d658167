import Foundation
import Synchronization
import Logging
import RecCore

/// What the fuzz targets share: where the committed fixtures are, a scratch file for inputs
/// that the code under test only reads from a path, and a check that traps like a bug.
public enum FuzzSupport {
    /// The repository's root folder (this file is Tests/Fuzz/FuzzSupport/FuzzSupport.swift).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The committed seed corpus of `target` (for example `ModelFile`).
    public static func corpus(_ target: String) -> String { repositoryRoot + "/Tests/Fuzz/Corpus/" + target }

    /// The small committed model file the router target serves (also a ModelFile seed).
    public static var seedModelPath: String { corpus("ModelFile") + "/seed-svdpp.recmodel" }

    /// A path unique to this process in a RAM-backed folder when there is one, for inputs that
    /// must be files; removed when the process exits normally.
    public static func scratchFile(_ name: String) -> String {
        var isDirectory: ObjCBool = false
        let folder =
            FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
            ? "/dev/shm" : NSTemporaryDirectory()
        let path = folder + "/recserve-fuzz-\(getpid())-" + name
        scratchFiles.withLock { $0.append(path) }
        return path
    }

    private static let scratchFiles = Mutex<[String]>([])
    private static let cleanup: Void = { atexit { FuzzSupport.removeScratchFiles() } }()

    static func removeScratchFiles() {
        for path in scratchFiles.withLock({ $0 }) { unlink(path) }
    }

    /// Replaces the file at `path` with `bytes`, with plain system calls (no Foundation, which
    /// would dominate a fast target's time).
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) {
        _ = cleanup
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot create the scratch file \(path): errno \(errno)") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            guard count > 0 else { fatalError("cannot write the scratch file \(path): errno \(errno)") }
            written += count
        }
    }

    /// Stops the process with a message when `condition` is false: a broken property is a
    /// finding, so it must crash like a bounds check would, and libFuzzer saves the input.
    public static func require(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        if !condition() { fatalError("fuzz property broken: \(message())", file: file, line: line) }
    }

    /// A logger that drops everything.
    public static let quietLogger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
}
