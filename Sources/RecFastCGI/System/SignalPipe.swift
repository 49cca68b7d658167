#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RecCore
import Synchronization

/// The process's self-pipe: signal handlers only note the signal and write its number to a
/// pipe; the event loop reads the pipe where it already waits with `poll`.
///
/// Nothing but an atomic store and one `write(2)` happens inside a handler, both safe there.
/// A signal that arrives after the loop last looked still leaves a byte in the pipe, so `poll`
/// returns at once and no signal is lost between checking and waiting. Handlers are installed
/// with `SA_RESTART`, so reads and writes elsewhere (inside libfcgi) resume as if nothing happened.
public enum SignalPipe {
    /// The write end of the pipe, read by the handler; -1 before `install`.
    private static let writeDescriptor = Atomic<Int32>(-1)
    /// Set by the handler, cleared by `takeSignals`: a check that costs no system call.
    private static let pending = Atomic<Bool>(false)

    /// Creates the pipe and routes `signals` to it; returns the read end, to add to `poll`.
    /// Call once per process.
    public static func install(signals: [Int32]) throws(SystemCallError) -> Int32 {
        let ends = try ServerSystemCalls.pipe(nonBlocking: true, subject: "signal pipe")
        // Touch the globals now so the handler never runs their lazy initialisation.
        _ = pending.load(ordering: .relaxed)
        writeDescriptor.store(ends.write, ordering: .sequentiallyConsistent)
        for signal in signals {
            try ServerSystemCalls.installHandler(noteSignal, for: signal)
        }
        return ends.read
    }

    /// Whether a signal has arrived since the last `takeSignals`: one atomic load.
    @inline(__always)
    public static var hasPendingSignals: Bool { pending.load(ordering: .relaxed) }

    /// The signals that arrived since the last call, oldest first, read from the pipe at `readDescriptor`.
    public static func takeSignals(from readDescriptor: Int32) -> [Int32] {
        pending.store(false, ordering: .relaxed)
        var signals: [Int32] = []
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        while true {
            let count = withUnsafeMutableBytes(of: &buffer) { bytes in
                ServerSystemCalls.readAvailable(readDescriptor, into: bytes)
            }
            if count <= 0 { break }
            withUnsafeBytes(of: &buffer) { bytes in
                for index in 0..<count { signals.append(Int32(bytes[index])) }
            }
        }
        return signals
    }

    /// The handler: remember, and wake the loop. Must stay async-signal-safe.
    private static let noteSignal: @convention(c) (Int32) -> Void = { signal in
        let savedErrorNumber = errno
        SignalPipe.pending.store(true, ordering: .relaxed)
        var byte = UInt8(truncatingIfNeeded: signal)
        _ = write(SignalPipe.writeDescriptor.load(ordering: .relaxed), &byte, 1)
        errno = savedErrorNumber
    }
}
