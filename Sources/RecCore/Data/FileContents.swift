import Foundation

/// Reads a whole file into memory as bytes.
///
/// Data files are parsed from raw bytes, never through `String`, so loading costs one read
/// and one pass.
package enum FileContents {
    /// The bytes of the file at `path`, or a `DataFileError` that says why it could not be read.
    package static func bytes(atPath path: String) throws(DataFileError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataFileError(.unreadableFile, file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw DataFileError(.unreadableFile, file: path, reason: "is a directory, not a file")
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            return [UInt8](data)
        } catch {
            throw DataFileError(.unreadableFile, file: path, reason: "cannot be read (\(error.localizedDescription))")
        }
    }
}
