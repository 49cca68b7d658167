/// An ALS interchange folder (`spark/train_als.py`'s output) that `rec-cli import --als` refuses,
/// with the file at fault and why. Nothing is published when one is thrown.
public struct ALSImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, for callers that branch on it.
    public enum Code: String, Sendable, Equatable {
        /// A file of the folder is missing or cannot be read.
        case missingFile = "missing_file"
        /// `manifest.json` is not JSON, names another format or version, or lacks a field.
        case invalidManifest = "invalid_manifest"
        /// A factor file's header is not `id,bias,f0,…`.
        case wrongHeader = "wrong_header"
        /// A factor file has another number of factor columns than the manifest's rank.
        case rankMismatch = "rank_mismatch"
        /// A row has another number of columns than the header.
        case wrongColumnCount = "wrong_column_count"
        /// A value is not a number or an id not an integer.
        case malformedValue = "malformed_value"
        /// A bias or factor is NaN or infinite (or too large for a 32-bit float).
        case nonFiniteValue = "non_finite_value"
        /// An id appears on two rows.
        case duplicatedID = "duplicated_id"
        /// The number of rows (or of ratings) differs from the manifest's.
        case countMismatch = "count_mismatch"
        /// The factors do not belong to the training ratings given: another set of users or
        /// movies, or another training RMSE than the manifest records.
        case datasetMismatch = "dataset_mismatch"
        /// The training ratings or the catalogue could not be read.
        case unreadableDataset = "unreadable_dataset"
    }

    /// The kind of failure.
    public var code: Code
    /// The file the failure is about.
    public var file: String
    /// A human sentence saying what was wrong (with the line, for a row).
    public var reason: String

    /// Creates an error about `file`.
    public init(_ code: Code, file: String, reason: String) {
        self.code = code
        self.file = file
        self.reason = reason
    }

    /// `file: reason`.
    public var description: String { "\(file): \(reason)" }
}
