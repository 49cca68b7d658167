import RecModelFile

/// A reload that was refused or failed, with the control file left as it was.
///
/// The codes map onto the API's answers to `/api/reload`: `noModel` is 503, `invalidModel`
/// 409 and `controlFileFailure` 500. The message names the file and the problem, so the
/// master's log line after a `SIGHUP` tells the operator what to fix.
public struct ReloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the reload did not happen.
    public enum Code: String, Sendable, Equatable {
        /// There is no `CURRENT` generation: nothing has been trained and published yet.
        case noModel = "no_model"
        /// `CURRENT` or the model file it names is corrupt, truncated or missing, so serving
        /// it would fail; the previous generation stays served.
        case invalidModel = "invalid_model"
        /// The control file could not be created, mapped or written.
        case controlFileFailure = "reload_failed"
        /// More reloads than `ReloadRateLimit` accepts; nothing was done.
        case tooFrequent = "too_many_requests"
    }

    /// Why the reload did not happen.
    public var code: Code
    /// A sentence for the operator.
    public var message: String
    /// The model file error behind it.
    public var modelFileError: ModelFileError?

    /// Creates a reload error.
    public init(_ code: Code, _ message: String, modelFileError: ModelFileError? = nil) {
        self.code = code
        self.message = message
        self.modelFileError = modelFileError
    }

    /// The message.
    public var description: String { message }
}
