/// Runs a program and waits for it: the one way the replication code starts a process.
///
/// The core never spawns anything itself. `rec-cli` passes a runner built on `Foundation.Process`;
/// tests pass one that records the calls and fails on purpose, so every failure of the object
/// storage tool (unreachable bucket, refused credentials, a missing object) can be tested
/// without a network.
public protocol ProcessRunner: Sendable {
    /// Runs `executable` (a name looked up in `PATH`, or a path) with `arguments` in an
    /// environment of `environment`, waits until it exits and returns how it ended.
    func run(_ executable: String, arguments: [String], environment: [String: String]) -> ProcessResult
}
