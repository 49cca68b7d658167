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

    @Test func aFailedReceiveClosesTheConnection() {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { close(ends[1]) }
        let request = FastCGILibrary.makeRequest()
        defer { request.deallocate() }
        SystemCallFaults.$active.withValue(["FCGX_Accept_r": EPROTO]) {
            #expect(throws: FastCGIError.self) { try FastCGILibrary.receiveRequest(on: request, connection: ends[0]) }
        }
        #expect(fcntl(ends[0], F_GETFD) == -1)
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
