import RecSystem

/// The shared counters file could not be created, attached or trusted: which file and why.
///
/// Metrics never stop the pool: the master and the workers log this and serve on, and
/// `/api/metrics` answers 503 `metrics_unavailable` with the message.
package struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    package enum Code: String, Sendable, Equatable {
        /// No counters file could be created, locked, sized or mapped in the run folder.
        case cannotCreate = "cannot_create"
        /// The descriptor a worker was handed is not a counters file it can map.
        case cannotAttach = "cannot_attach"
        /// The file was written for another layout (other endpoints, buckets or slots).
        case incompatibleLayout = "incompatible_layout"
        /// This process has no counters file: the master could not create one.
        case unavailable
    }

    /// What went wrong.
    package var code: Code
    /// A sentence naming the file and the problem.
    package var message: String
    /// The failed system call behind it, if any.
    package var systemCallError: SystemCallError?

    /// Creates an error.
    package init(_ code: Code, _ message: String, systemCallError: SystemCallError? = nil) {
        self.code = code
        self.message = message
        self.systemCallError = systemCallError
    }

    /// The message.
    package var description: String { message }
}
