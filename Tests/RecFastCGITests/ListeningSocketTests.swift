import Foundation
import RecFastCGI
import Testing

struct ListeningSocketTests {
    @Test func unixSocketIsListeningNonBlockingHighAndOpenToNginx() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/run/rec.sock"
        let socket = try ListeningSocket.open(.unix(path: path))
        defer { socket.close() }
        #expect(ServerSystemCalls.isListeningSocket(socket.descriptor))
        #expect(socket.descriptor >= 10)
        #expect(fcntl(socket.descriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(socket.descriptor, F_GETFD) & FD_CLOEXEC != 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660, "owner and group only, never other users")
        #expect(ServerSystemCalls.isSocket(path))
    }

    @Test func aLiveSocketIsRefusedAStaleOneReplaced() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/rec.sock"
        let first = try ListeningSocket.open(.unix(path: path))
        #expect(throws: ListeningSocketError.self) { try ListeningSocket.open(.unix(path: path)) }
        do {
            _ = try ListeningSocket.open(.unix(path: path))
        } catch {
            #expect(error.code == .inUse)
        }
        first.close()
        // The file is still there, but nobody listens: a crashed master's leftover.
        #expect(ServerSystemCalls.isSocket(path))
        let second = try ListeningSocket.open(.unix(path: path))
        defer { second.close() }
        #expect(ServerSystemCalls.isListeningSocket(second.descriptor))
    }

    @Test func aFileThatIsNotASocketIsLeftAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/rec.sock"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ListeningSocket.open(.unix(path: path))
            Issue.record("opened over a regular file")
        } catch {
            #expect(error.code == .notASocket)
        }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    @Test func removePathRemovesOnlyItsOwnFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/rec.sock"
        let socket = try ListeningSocket.open(.unix(path: path))
        defer { socket.close() }
        try FileManager.default.removeItem(atPath: path)
        try Data("another".utf8).write(to: URL(fileURLWithPath: path))
        socket.removePath()
        #expect(FileManager.default.fileExists(atPath: path))
        try FileManager.default.removeItem(atPath: path)

        let own = try ListeningSocket.open(.unix(path: folder.path + "/own.sock"))
        defer { own.close() }
        own.removePath()
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/own.sock"))
    }

    @Test func tcpSocketListensOnLoopback() throws {
        var opened: ListeningSocket?
        for port in UInt16(41_000)..<UInt16(41_050) {
            if let socket = try? ListeningSocket.open(.tcp(host: "127.0.0.1", port: port)) {
                opened = socket
                break
            }
        }
        let socket = try #require(opened)
        defer { socket.close() }
        #expect(ServerSystemCalls.isListeningSocket(socket.descriptor))
        guard case .tcp(_, let port) = socket.address else { return }
        do {
            _ = try ListeningSocket.open(.tcp(host: "127.0.0.1", port: port))
            Issue.record("a second listener on port \(port) was accepted")
        } catch {
            #expect(error.code == .systemCallFailed)
            #expect(error.systemCallError?.errorNumber == EADDRINUSE)
        }
    }
}
