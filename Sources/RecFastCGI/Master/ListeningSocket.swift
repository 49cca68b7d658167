#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RecCore

/// The socket every worker accepts on, created once by the master before any worker starts.
///
/// It is non-blocking (the flag lives on the shared open file description, so every worker sees
/// it), close-on-exec (workers get it as descriptor 0 through `posix_spawn`'s `dup2`, nothing
/// else does), and numbered 10 or above so it never collides with the descriptors workers are
/// given. A unix socket is reachable by its owner and group only (mode 0660): nginx runs as the
/// same user as the pool, or as root, and no other local user can reach the API's workers past
/// nginx's limits or forge request ids. A stale socket file left by a crashed master is removed,
/// a live one is refused.
public struct ListeningSocket: Sendable {
    /// The descriptor.
    public let descriptor: Int32
    /// The address it listens on.
    public let address: ListenAddress
    /// The unix socket file's identity, so only this socket's file is ever removed.
    private let fileIdentity: FileStatus?

    /// The backlog asked for; the kernel caps it at `net.core.somaxconn`.
    public static let backlog: Int32 = 4_096

    /// Opens and listens on `address`.
    public static func open(_ address: ListenAddress) throws(ListeningSocketError) -> ListeningSocket {
        let name = address.description
        func failed(_ error: SystemCallError) -> ListeningSocketError {
            ListeningSocketError(.systemCallFailed, address: name, reason: error.description, systemCallError: error)
        }
        var descriptor: Int32 = -1
        do {
            switch address {
            case .unix(let path):
                descriptor = try openUnix(path: path, name: name)
            case .tcp(let host, let port):
                descriptor = try openTCP(host: host, port: port, name: name)
            }
            try ServerSystemCalls.setNonBlocking(descriptor, subject: name)
            let high = try ServerSystemCalls.duplicate(descriptor, atLeast: 10, subject: name)
            SystemCalls.close(descriptor)
            descriptor = high
        } catch let error as ListeningSocketError {
            if descriptor >= 0 { SystemCalls.close(descriptor) }
            throw error
        } catch let error as SystemCallError {
            if descriptor >= 0 { SystemCalls.close(descriptor) }
            throw failed(error)
        } catch {
            if descriptor >= 0 { SystemCalls.close(descriptor) }
            throw ListeningSocketError(.systemCallFailed, address: name, reason: "\(error)")
        }
        var identity: FileStatus?
        if case .unix(let path) = address { identity = ServerSystemCalls.identity(of: path) }
        return ListeningSocket(descriptor: descriptor, address: address, fileIdentity: identity)
    }

    /// Removes the unix socket's file if it is still this socket's, so no new connection can
    /// reach the pool; connections already queued stay and are served. Does nothing for TCP.
    public func removePath() {
        guard case .unix(let path) = address, let fileIdentity, let current = ServerSystemCalls.identity(of: path),
            current.inode == fileIdentity.inode, current.device == fileIdentity.device
        else { return }
        try? SystemCalls.unlink(path)
    }

    /// Closes the descriptor.
    public func close() {
        SystemCalls.close(descriptor)
    }

    private static func openUnix(path: String, name: String) throws -> Int32 {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try SystemCalls.makeDirectories(String(path[..<slash]))
        }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + pathBytes.count + 1
        return try withUnsafeBytes(of: &socketAddress) { raw throws -> Int32 in
            let address = UnsafeRawBufferPointer(rebasing: raw[0..<length])
            if SystemCalls.exists(path) {
                guard ServerSystemCalls.isSocket(path) else {
                    throw ListeningSocketError(
                        .notASocket, address: name, reason: "\(path) exists and is not a socket; remove it or choose another REC_LISTEN")
                }
                let probe = try ServerSystemCalls.socket(domain: AF_UNIX, subject: name)
                let connectError = ServerSystemCalls.connectionError(probe, address: address)
                SystemCalls.close(probe)
                if connectError == 0 {
                    throw ListeningSocketError(.inUse, address: name, reason: "another server is listening there")
                }
                try SystemCalls.unlink(path)
            }
            let descriptor = try ServerSystemCalls.socket(domain: AF_UNIX, subject: name)
            do {
                try ServerSystemCalls.bind(descriptor, address: address, subject: name)
                try ServerSystemCalls.changeMode(path, to: 0o660)
                try ServerSystemCalls.listen(descriptor, backlog: backlog, subject: name)
            } catch {
                SystemCalls.close(descriptor)
                throw error
            }
            return descriptor
        }
    }

    private static func openTCP(host: String, port: UInt16, name: String) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw ListeningSocketError(
                .unresolvableHost, address: name, reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        let descriptor = try ServerSystemCalls.socket(domain: first.pointee.ai_family, subject: name)
        do {
            try ServerSystemCalls.setSocketOption(descriptor, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, subject: name)
            try ServerSystemCalls.bind(
                descriptor, address: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)),
                subject: name)
            try ServerSystemCalls.listen(descriptor, backlog: backlog, subject: name)
        } catch {
            SystemCalls.close(descriptor)
            throw error
        }
        return descriptor
    }
}
