/// Which file a path or descriptor named, and which version of its contents: two equal
/// identities are the same file, unchanged in between.
///
/// A rename onto the path changes the device and inode; writing, truncating or `chmod`-ing the
/// file in place changes its status-change time (and usually its size or modification time),
/// which no unprivileged process can set back. A served model generation records the identity
/// it was validated at, so a worker notices both kinds of change (see `LoadedModel.isUnchangedOnDisk`).
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The device the file lives on.
    public var device: UInt64
    /// The inode number on that device.
    public var inode: UInt64
    /// The size in bytes.
    public var size: Int
    /// The last modification time, in nanoseconds since the epoch.
    public var modificationNanoseconds: Int64
    /// The last status change, in nanoseconds since the epoch.
    public var statusChangeNanoseconds: Int64

    /// Creates an identity from its parts.
    public init(device: UInt64, inode: UInt64, size: Int, modificationNanoseconds: Int64, statusChangeNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modificationNanoseconds = modificationNanoseconds
        self.statusChangeNanoseconds = statusChangeNanoseconds
    }

    /// Whether both name the same file (device and inode), whatever happened to its contents.
    public func isSameFile(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }

    /// `inode 12 on device 2049, 1234 bytes, changed at <ns>`, for the log.
    public var description: String {
        "inode \(inode) on device \(device), \(size) bytes, changed at \(statusChangeNanoseconds) ns"
    }
}
