/// `rec-cli sync --once` found a remote generation that fails verification: exit status 1.
struct SyncRefusal: Error, CustomStringConvertible {
    /// What was refused and why.
    let message: String
    /// The message.
    var description: String { message }
}
