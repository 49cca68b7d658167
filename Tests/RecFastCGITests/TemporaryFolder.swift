import Foundation

/// A fresh folder under /tmp, removed with its contents when the value goes away. Unix socket
/// paths must stay under 108 bytes, so the name is short.
final class TemporaryFolder {
    /// The folder's absolute path.
    let path: String

    init() throws {
        var template = Array("/tmp/rfc-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
