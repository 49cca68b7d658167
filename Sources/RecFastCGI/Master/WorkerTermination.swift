#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How a worker process ended, decoded from a `waitpid` status.
public enum WorkerTermination: Sendable, Equatable, CustomStringConvertible {
    /// It called `exit` with this code.
    case exited(code: Int32)
    /// A signal ended it.
    case signaled(signal: Int32)

    /// Decodes a raw `waitpid` status (the `WIFEXITED`/`WTERMSIG` macros, which Swift cannot import).
    public init(waitStatus status: Int32) {
        let signal = status & 0x7F
        if signal == 0 {
            self = .exited(code: (status >> 8) & 0xFF)
        } else {
            self = .signaled(signal: signal)
        }
    }

    /// Whether the worker ended as designed: exit code 0 after a stop request or its quota.
    public var isClean: Bool { self == .exited(code: WorkerExitCode.finished) }

    /// `exit code 70`, `signal 14 (SIGALRM)`.
    public var description: String {
        switch self {
        case .exited(let code): return "exit code \(code)"
        case .signaled(let signal): return "signal \(signal) (\(Self.signalName(signal)))"
        }
    }

    /// The conventional name of the signals a worker is likely to die of.
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGALRM: return "SIGALRM"
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGABRT: return "SIGABRT"
        case SIGFPE: return "SIGFPE"
        case SIGPIPE: return "SIGPIPE"
        default: return "SIG\(signal)"
        }
    }
}
