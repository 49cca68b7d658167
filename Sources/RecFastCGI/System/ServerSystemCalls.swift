#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RecCore

/// Thin wrappers over the socket, signal and process calls of the FastCGI master and workers.
///
/// They share `SystemCalls.check` and `SystemCalls.retryingInterrupts`: each retries `EINTR`
/// where a retry is right, turns a failure into a `SystemCallError` naming the call and its
/// subject, and honours `SystemCallFaults`, so a
/// test can make, say, `accept` or `posix_spawn` fail in its own task and check what the caller
/// does. Only the calls the worker makes on every request are on a hot path; their fault check
/// is one task-local read.
public enum ServerSystemCalls {
    // MARK: Sockets

    /// `socket(2)` with `SOCK_CLOEXEC`, so no spawned process inherits it by accident.
    public static func socket(domain: Int32, subject: String) throws(SystemCallError) -> Int32 {
        try SystemCalls.check("socket", subject)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return try SystemCalls.retryingInterrupts("socket", subject) { Glibc.socket(domain, type, 0) }
    }

    /// `bind(2)` to the address in `address`.
    public static func bind(_ descriptor: Int32, address: UnsafeRawBufferPointer, subject: String) throws(SystemCallError) {
        try SystemCalls.check("bind", subject)
        _ = try SystemCalls.retryingInterrupts("bind", subject) {
            Glibc.bind(descriptor, address.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count))
        }
    }

    /// `connect(2)`; used only to tell a live unix socket from a stale one, so the `errno` is
    /// returned instead of thrown: 0 when something accepted the connection.
    public static func connectionError(_ descriptor: Int32, address: UnsafeRawBufferPointer) -> Int32 {
        if let injected = SystemCallFaults.errorNumber(for: "connect") { return injected }
        while true {
            if Glibc.connect(descriptor, address.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count)) == 0 {
                return 0
            }
            let error = errno
            if error != EINTR { return error }
        }
    }

    /// `listen(2)`.
    public static func listen(_ descriptor: Int32, backlog: Int32, subject: String) throws(SystemCallError) {
        try SystemCalls.check("listen", subject)
        _ = try SystemCalls.retryingInterrupts("listen", subject) { Glibc.listen(descriptor, backlog) }
    }

    /// `setsockopt(2)` with an `int` value.
    public static func setSocketOption(
        _ descriptor: Int32, level: Int32, name: Int32, value: Int32, subject: String
    ) throws(SystemCallError) {
        try SystemCalls.check("setsockopt", subject)
        var value = value
        _ = try SystemCalls.retryingInterrupts("setsockopt", subject) {
            Glibc.setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Whether `descriptor` is a socket in the listening state (`SO_ACCEPTCONN`).
    public static func isListeningSocket(_ descriptor: Int32) -> Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0 && value != 0
    }

    /// One `accept(2)` on a non-blocking listening socket: the new connection, or nil when no
    /// connection is waiting or the one that was went away before it could be taken
    /// (`ECONNABORTED`, `EPROTO`), which is the caller's cue to wait.
    ///
    /// The new descriptor is blocking (Linux does not pass `O_NONBLOCK` on), as libfcgi expects.
    /// It is not close-on-exec: workers never exec.
    @inline(__always)
    public static func acceptConnection(_ listeningDescriptor: Int32) throws(SystemCallError) -> Int32? {
        try SystemCalls.check("accept", "listening socket")
        while true {
            let connection = Glibc.accept(listeningDescriptor, nil, nil)
            if connection >= 0 { return connection }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO: return nil
            case let error: throw SystemCallError(call: "accept", subject: "listening socket", errorNumber: error)
            }
        }
    }

    /// What `peek` found on a connection.
    public enum PeekResult: Sendable, Equatable {
        /// This many bytes are waiting (at most the buffer's size).
        case bytes(Int)
        /// Nothing is waiting yet.
        case nothing
        /// The peer closed the connection, or it failed.
        case closed
    }

    /// `recv(MSG_PEEK | MSG_DONTWAIT)`: copies what waits on `connection` into `buffer` without
    /// consuming it or blocking.
    @inline(__always)
    public static func peek(_ connection: Int32, into buffer: UnsafeMutableRawBufferPointer) -> PeekResult {
        while true {
            let count = recv(connection, buffer.baseAddress, buffer.count, Int32(MSG_PEEK | MSG_DONTWAIT))
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .nothing
            default: return .closed
            }
        }
    }

    // MARK: Descriptors

    /// Adds `O_NONBLOCK` to the open file description behind `descriptor`: for a listening
    /// socket, every process sharing it sees the flag.
    public static func setNonBlocking(_ descriptor: Int32, subject: String) throws(SystemCallError) {
        try SystemCalls.check("fcntl", subject)
        let flags = try SystemCalls.retryingInterrupts("fcntl", subject) { fcntl(descriptor, F_GETFL) }
        _ = try SystemCalls.retryingInterrupts("fcntl", subject) { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sets `FD_CLOEXEC` on `descriptor`; errors are ignored (a closed descriptor needs nothing).
    public static func setCloseOnExec(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFD)
        if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// A close-on-exec copy of `descriptor` numbered `minimum` or above (`F_DUPFD_CLOEXEC`); the
    /// original stays open.
    public static func duplicate(_ descriptor: Int32, atLeast minimum: Int32, subject: String) throws(SystemCallError) -> Int32 {
        try SystemCalls.check("fcntl", subject)
        return try SystemCalls.retryingInterrupts("fcntl", subject) { fcntl(descriptor, F_DUPFD_CLOEXEC, minimum) }
    }

    /// `pipe(2)`; both ends close-on-exec, and non-blocking when asked.
    public static func pipe(nonBlocking: Bool, subject: String) throws(SystemCallError) -> (read: Int32, write: Int32) {
        try SystemCalls.check("pipe", subject)
        var ends: [Int32] = [-1, -1]
        _ = try SystemCalls.retryingInterrupts("pipe", subject) { Glibc.pipe(&ends) }
        for end in ends {
            setCloseOnExec(end)
            if nonBlocking { try setNonBlocking(end, subject: subject) }
        }
        return (ends[0], ends[1])
    }

    /// Whether `descriptor` is open and is a pipe.
    public static func isPipe(_ descriptor: Int32) -> Bool {
        var status = stat()
        let function: (Int32, UnsafeMutablePointer<stat>) -> Int32 = fstat
        return function(descriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
    }

    /// Whether `path` exists and is a socket (`lstat`), so only a socket is ever removed as stale.
    public static func isSocket(_ path: String) -> Bool {
        var status = stat()
        let function: (UnsafePointer<CChar>, UnsafeMutablePointer<stat>) -> Int32 = lstat
        return function(path, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }

    /// The inode and device of `path`, to tell later whether the path still names the same file.
    public static func identity(of path: String) -> FileStatus? {
        try? SystemCalls.fileStatus(path)
    }

    /// `chmod(2)`.
    public static func changeMode(_ path: String, to mode: mode_t) throws(SystemCallError) {
        try SystemCalls.check("chmod", path)
        _ = try SystemCalls.retryingInterrupts("chmod", path) { chmod(path, mode) }
    }

    /// Whether process `processID` is stopped (`T`, by a signal such as `SIGSTOP`) or stopped
    /// by a debugger (`t`), from the state field of `/proc/<pid>/stat`; false when unreadable.
    public static func isStopped(_ processID: Int32) -> Bool {
        let path = "/proc/\(processID)/stat"
        guard let descriptor = try? SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC) else { return false }
        defer { SystemCalls.close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { (try? SystemCalls.read(descriptor, into: $0, subject: path)) ?? 0 }
        // `pid (comm) S ...`: the name may hold spaces and parentheses, so the state follows
        // the last `)`.
        guard let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return false }
        return buffer[close + 2] == UInt8(ascii: "T") || buffer[close + 2] == UInt8(ascii: "t")
    }

    /// The user id and primary group of the user `name` (`getpwnam_r`), or nil when there is none.
    public static func user(named name: String) -> (userID: uid_t, groupID: gid_t)? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return (entry.pw_uid, entry.pw_gid)
    }

    /// `lchown(2)`: gives `path` (never a symbolic link's target) to `user` and `group`.
    public static func changeOwner(_ path: String, user: uid_t, group: gid_t) throws(SystemCallError) {
        try SystemCalls.check("lchown", path)
        _ = try SystemCalls.retryingInterrupts("lchown", path) { lchown(path, user, group) }
    }

    /// The effective user id.
    public static func effectiveUserID() -> uid_t { geteuid() }

    /// Switches the process to `user` and `group` for good: no supplementary groups, then
    /// `setgid`, then `setuid`, and checks that root cannot be regained.
    public static func switchUser(to user: uid_t, group: gid_t) throws(SystemCallError) {
        try SystemCalls.check("setuid", "")
        guard setgroups(0, nil) == 0 else { throw SystemCallError(call: "setgroups", subject: "", errorNumber: errno) }
        guard setgid(group) == 0 else { throw SystemCallError(call: "setgid", subject: "\(group)", errorNumber: errno) }
        guard setuid(user) == 0 else { throw SystemCallError(call: "setuid", subject: "\(user)", errorNumber: errno) }
        guard user == 0 || setuid(0) != 0 else { throw SystemCallError(call: "setuid", subject: "0 was regained", errorNumber: EPERM) }
    }

    /// `read(2)` of up to `count` bytes from a non-blocking descriptor into `buffer`; 0 at end
    /// of file or when nothing is waiting.
    public static func readAvailable(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { return 0 }
        }
    }

    /// `poll(2)` on `descriptors`, waiting at most `timeoutMilliseconds` (-1: no limit). An
    /// interrupting signal counts as "nothing ready": the caller re-checks its state and waits again.
    public static func poll(_ descriptors: inout [pollfd], timeoutMilliseconds: Int32) throws(SystemCallError) -> Int {
        try SystemCalls.check("poll", "")
        let ready = descriptors.withUnsafeMutableBufferPointer { buffer in
            Glibc.poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
        }
        if ready >= 0 { return Int(ready) }
        let error = errno
        if error == EINTR { return 0 }
        throw SystemCallError(call: "poll", subject: "", errorNumber: error)
    }

    // MARK: Signals

    /// Installs `handler` for `signal` with `SA_RESTART`, so interrupted reads and writes (say,
    /// inside libfcgi) resume instead of failing with `EINTR`; `poll` still returns early.
    ///
    /// The signal is also unblocked: a blocked mask survives `exec`, and a parent that starts the
    /// server with signals blocked (some process launchers do) would otherwise leave the handler
    /// silent forever.
    public static func installHandler(_ handler: @convention(c) (Int32) -> Void, for signal: Int32) throws(SystemCallError) {
        try SystemCalls.check("sigaction", "signal \(signal)")
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        _ = try SystemCalls.retryingInterrupts("sigaction", "signal \(signal)") { sigaction(signal, &action, nil) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, signal)
        let result = pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        if result != 0 { throw SystemCallError(call: "pthread_sigmask", subject: "signal \(signal)", errorNumber: result) }
    }

    /// Ignores `signal` (`SIG_IGN`).
    public static func ignore(_ signal: Int32) {
        _ = Glibc.signal(signal, SIG_IGN)
    }

    /// `kill(2)`; false when the process is already gone (`ESRCH`) or the call failed.
    @discardableResult
    public static func sendSignal(_ signal: Int32, to processID: Int32) -> Bool {
        if SystemCallFaults.errorNumber(for: "kill") != nil { return false }
        return kill(processID, signal) == 0
    }

    /// `setitimer(ITIMER_REAL)`: delivers `SIGALRM` every `microseconds`, starting one interval from now.
    public static func startIntervalTimer(microseconds: Int) throws(SystemCallError) {
        try SystemCalls.check("setitimer", "ITIMER_REAL")
        let interval = timeval(tv_sec: microseconds / 1_000_000, tv_usec: microseconds % 1_000_000)
        var timer = itimerval(it_interval: interval, it_value: interval)
        _ = try SystemCalls.retryingInterrupts("setitimer", "ITIMER_REAL") {
            setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
        }
    }

    // MARK: Processes

    /// `waitpid(-1, WNOHANG)`: one child that has ended and how, or nil when none has.
    public static func reapChild() -> (processID: Int32, status: Int32)? {
        var status: Int32 = 0
        while true {
            let processID = waitpid(-1, &status, WNOHANG)
            if processID > 0 { return (processID, status) }
            if processID == -1 && errno == EINTR { continue }
            return nil
        }
    }

    /// The parent's process id.
    public static func parentProcessID() -> Int32 { getppid() }

    /// The target of a symbolic link such as `/proc/self/exe`, or nil.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `exit(2)` without running atexit handlers or flushing stdio, for a child that must not
    /// run its parent's cleanup.
    public static func exitImmediately(_ code: Int32) -> Never {
        _exit(code)
    }
}
