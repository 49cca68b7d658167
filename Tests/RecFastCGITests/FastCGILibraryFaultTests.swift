import Glibc
import RecCore
import RecFastCGI
import Testing

struct FastCGILibraryFaultTests {
    @Test func injectedFaultsFailEachLibraryCall() {
        SystemCallFaults.$active.withValue(["FCGX_Init": EIO]) {
            #expect(throws: FastCGIError(.initializationFailed, call: "FCGX_Init", errorNumber: EIO)) { try FastCGILibrary.initialize() }
        }
        let request = FastCGILibrary.makeRequest()
        defer { request.deallocate() }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { scratch.deallocate() }
        SystemCallFaults.$active.withValue(["FCGX_GetStr": ECONNRESET, "FCGX_PutStr": EPIPE]) {
            #expect(throws: FastCGIError(.readFailed, call: "FCGX_GetStr", errorNumber: ECONNRESET)) {
                _ = try FastCGILibrary.readInput(request, into: scratch)
            }
            #expect(throws: FastCGIError(.writeFailed, call: "FCGX_PutStr", errorNumber: EPIPE)) {
                try FastCGILibrary.writeOutput(request, UnsafeRawBufferPointer(scratch))
            }
        }
    }

    /// The connection's closing is seen from its peer, which reads end-of-file at once, and not
    /// from the descriptor's number: tests running in parallel may reuse that number as soon
    /// as it is closed.
    @Test func aFailedReceiveClosesTheConnection() {
        var ends: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        defer { close(ends[1]) }
        #expect(fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK) == 0)
        let request = FastCGILibrary.makeRequest()
        defer { request.deallocate() }
        SystemCallFaults.$active.withValue(["FCGX_Accept_r": EPROTO]) {
            #expect(throws: FastCGIError.self) { try FastCGILibrary.receiveRequest(on: request, connection: ends[0]) }
        }
        var byte: UInt8 = 0
        let readCount = read(ends[1], &byte, 1)
        #expect(readCount == 0, "the peer should read end-of-file; read gave \(readCount), errno \(errno)")
    }

    @Test func acceptFaultsAreThrownAndAnEmptyQueueIsNil() throws {
        SystemCallFaults.$active.withValue(["accept": EMFILE]) {
            #expect(throws: SystemCallError(call: "accept", subject: "listening socket", errorNumber: EMFILE)) {
                _ = try ServerSystemCalls.acceptConnection(0)
            }
        }
        let folder = try TemporaryFolder()
        let socket = try ListeningSocket.open(.unix(path: folder.path + "/s.sock"))
        defer { socket.close() }
        #expect(try ServerSystemCalls.acceptConnection(socket.descriptor) == nil)
    }
}
