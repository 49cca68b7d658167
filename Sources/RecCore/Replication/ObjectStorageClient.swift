/// Copies single objects between a local file and object storage.
///
/// `RcloneClient` is the implementation `rec-cli` uses; tests substitute their own.
public protocol ObjectStorageClient: Sendable {
    /// Downloads the object `name` under `location` to the local file `path`, replacing it.
    ///
    /// - Throws: `ObjectStorageError`; `.notFound` when the object does not exist.
    func download(_ name: String, from location: ObjectStoreLocation, to path: String) throws(ObjectStorageError)

    /// Uploads the local file `path` as the object `name` under `location`, replacing it.
    /// When it returns, the whole object is stored.
    func upload(_ path: String, to location: ObjectStoreLocation, as name: String) throws(ObjectStorageError)
}
