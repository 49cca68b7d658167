/// What asked for a reload, named in its log lines.
public enum ReloadTrigger: String, Sendable, CaseIterable {
    /// `POST /api/reload` (or `GET`).
    case api
    /// `SIGHUP` to the prefork master.
    case signal = "SIGHUP"
    /// `rec-cli train` (or `MyRecModel.train`) with `REC_AUTO_RELOAD=1`.
    case training
    /// `rec-cli sync` after it published a generation downloaded from object storage.
    case sync
}
