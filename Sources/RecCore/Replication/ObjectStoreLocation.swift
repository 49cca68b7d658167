/// Where generations live in object storage: `s3://BUCKET/PREFIX`, the argument of
/// `rec-cli publish --to` and `rec-cli sync --from`.
///
/// The prefix holds the same names as a local model folder: `model-<generation>.recmodel`
/// files and a `CURRENT` pointer.
public struct ObjectStoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// The bucket, for example `recserve-models`.
    public var bucket: String
    /// The key prefix without leading or trailing slashes, possibly empty.
    public var prefix: String

    /// Parses `s3://BUCKET/PREFIX` (the prefix is optional); `nil` for anything else.
    public init?(parsing text: String) {
        let scheme = "s3://"
        guard text.hasPrefix(scheme) else { return nil }
        let rest = text.dropFirst(scheme.count)
        let bucket = rest.prefix { $0 != "/" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard (3...63).contains(bucket.count), bucket.allSatisfy({ allowed.contains($0) }) else { return nil }
        let parts = rest.dropFirst(bucket.count).split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        self.bucket = String(bucket)
        self.prefix = parts.joined(separator: "/")
    }

    /// The key of the object `name` under the prefix, for example `models/CURRENT`.
    public func key(_ name: String) -> String {
        prefix.isEmpty ? name : prefix + "/" + name
    }

    /// `s3://BUCKET/PREFIX`.
    public var description: String {
        "s3://" + bucket + (prefix.isEmpty ? "" : "/" + prefix)
    }
}
