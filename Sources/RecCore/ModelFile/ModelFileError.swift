#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecSystem

/// A model file or model folder that could not be written, opened or trusted, with which file
/// and why.
///
/// Every failure of the model file code is one of these and never a crash: a truncated,
/// corrupt or foreign file is reported with a `Code` a caller can branch on (the HTTP layer
/// maps them to 409/503) and a sentence that names the file, so an operator knows what to fix.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, for callers that branch on it.
    public enum Code: String, Sendable, Equatable {
        /// The model file does not exist.
        case notFound = "not_found"
        /// The file is shorter than its header says: an interrupted copy or a full disk.
        case truncated
        /// The file does not start with the model file's magic bytes: it is not a model file.
        case badMagic = "bad_magic"
        /// The file was written in a format version this build does not read.
        case unsupportedVersion = "unsupported_version"
        /// The file was written with the other byte order; only little-endian files are read.
        case wrongByteOrder = "wrong_byte_order"
        /// A header field is impossible, for example a section table that does not fit.
        case corruptHeader = "corrupt_header"
        /// A section is out of bounds, misaligned, missing, or inconsistent with another section.
        case corruptSection = "corrupt_section"
        /// The bytes do not match the checksum stored in the header.
        case checksumMismatch = "checksum_mismatch"
        /// The model folder has no `CURRENT` pointer, so nothing has been trained yet.
        case noCurrentModel = "no_current_model"
        /// The `CURRENT` pointer does not hold a generation number.
        case corruptCurrentPointer = "corrupt_current_pointer"
        /// The artifact given to the writer is inconsistent and would make an unreadable file.
        case invalidArtifact = "invalid_artifact"
        /// A system call failed; `systemCallError` says which and why.
        case ioFailure = "io_failure"
    }

    /// The kind of failure.
    public var code: Code
    /// The file or folder the failure is about; empty for an artifact that was never written.
    public var path: String
    /// A human sentence saying what was wrong.
    public var reason: String
    /// The failed system call behind an `.ioFailure` or `.notFound`, when there is one.
    public var systemCallError: SystemCallError?

    /// Creates an error about `path`.
    public init(_ code: Code, path: String, reason: String, systemCallError: SystemCallError? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.systemCallError = systemCallError
    }

    /// An `.ioFailure` (or `.notFound` for `ENOENT`) from a failed system call.
    init(_ error: SystemCallError, path: String) {
        let isMissing = error.errorNumber == ENOENT
        self.init(
            isMissing ? .notFound : .ioFailure, path: path,
            reason: isMissing ? "no such file" : error.description, systemCallError: error)
    }

    /// `path: reason`, or just the reason when there is no file.
    public var description: String {
        path.isEmpty ? reason : "\(path): \(reason)"
    }
}
