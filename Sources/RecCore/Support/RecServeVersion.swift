/// The version of RecServe, shown by `rec-cli --version` and `/api/info`.
public enum RecServeVersion {
    /// The semantic version of this build.
    public static let current = "0.1.0"
}
