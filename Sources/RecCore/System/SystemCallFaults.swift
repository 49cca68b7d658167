/// Faults that tests inject into the system-call wrappers, scoped to a task.
///
/// A test-only hook, so `package`: the tests, the fuzz targets and `RecFastCGI`'s wrappers
/// reach it, and it is not part of RecCore's public API.
///
/// Each wrapper in `SystemCalls` asks `SystemCallFaults.errorNumber(for:)` before calling
/// the C library. A test sets faults with `SystemCallFaults.$active.withValue([...])`, which
/// only affects code running in that task, so tests running in parallel do not see each
/// other's faults. Outside tests the set is empty and the check is a task-local read.
package enum SystemCallFaults {
    /// The calls that fail in the current task, by call name (`"fsync"`), with the `errno` to report.
    @TaskLocal package static var active: [String: Int32] = [:]

    /// The injected `errno` for `call` in the current task, if any.
    @inline(__always)
    package static func errorNumber(for call: String) -> Int32? {
        let faults = active
        return faults.isEmpty ? nil : faults[call]
    }
}
