/// Where RecServe keeps its mutable state: model generations, the log and runtime files.
///
/// Everything lives under one folder, `REC_DATA_DIR` (default `./data`), so a container can
/// map it as one volume and several processes or containers can share it. `RecSettings`
/// reads the variable.
public struct DataDirectory: Sendable, Equatable {
    /// The environment variable that relocates the folder.
    public static let environmentVariable = "REC_DATA_DIR"
    /// The folder used when `REC_DATA_DIR` is not set.
    public static let defaultPath = "data"

    /// The root folder, for example `data`.
    public var root: String

    /// A data directory rooted at `root`.
    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// `data/model`: model generations and the `CURRENT` pointer.
    public var modelDirectory: String { root + "/model" }
    /// `data/log_file.log`: the one log shared by every process.
    public var logFile: String { root + "/log_file.log" }
    /// `data/run`: sockets and generated configuration of a running server.
    public var runDirectory: String { root + "/run" }
    /// `data/predictions.csv`: the default output of `rec-cli predict`.
    public var predictionsFile: String { root + "/predictions.csv" }
}
