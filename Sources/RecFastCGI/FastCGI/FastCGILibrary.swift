import CFastCGI
import RecCore

/// The libfcgi calls the worker makes, each behind a wrapper that honours `SystemCallFaults`
/// (under the C function's name, for example `FCGX_GetStr`), so tests can make any of them fail.
///
/// Only the reentrant `FCGX_*` API is used; `fcgi_stdio` is never linked in.
public enum FastCGILibrary {
    /// `FCGX_Init`: sets libfcgi up once per process, before the first request.
    public static func initialize() throws(FastCGIError) {
        if let injected = SystemCallFaults.errorNumber(for: "FCGX_Init") {
            throw FastCGIError(.initializationFailed, call: "FCGX_Init", errorNumber: injected)
        }
        let result = FCGX_Init()
        if result != 0 { throw FastCGIError(.initializationFailed, call: "FCGX_Init", errorNumber: result) }
    }

    /// A new `FCGX_Request` (`FCGX_InitRequest`) that never accepts on its own.
    ///
    /// Its listening socket is -1: the worker accepts connections itself (see
    /// `receiveRequest(on:connection:)`), and should libfcgi ever try to accept after a broken
    /// connection, `accept(-1)` fails at once with `EBADF` instead of blocking where the worker
    /// cannot see a stop signal.
    public static func makeRequest() -> UnsafeMutablePointer<FCGX_Request> {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        _ = FCGX_InitRequest(request, -1, 0)
        return request
    }

    /// Reads the begin record and the parameters of the request on `connection`, an accepted
    /// socket (`FCGX_Accept_r`). On success the request's streams and `envp` are ready; on
    /// failure libfcgi has already closed the connection.
    ///
    /// libfcgi accepts only when `ipcFd` is negative, so the worker hands it the connection it
    /// accepted itself; `keepConnection` is set so that `FCGX_Accept_r`'s opening
    /// `FCGX_Finish_r` does not close it. The begin record then sets `keepConnection` to what
    /// nginx asked for (nothing, as `fastcgi_keep_conn` is off), so `finish(_:)` closes it.
    /// Accepting outside libfcgi is what lets the worker wait with `poll` for a connection *or*
    /// a stop signal, with no window in which a signal is missed.
    @inline(__always)
    public static func receiveRequest(on request: UnsafeMutablePointer<FCGX_Request>, connection: Int32) throws(FastCGIError) {
        if let injected = SystemCallFaults.errorNumber(for: "FCGX_Accept_r") {
            SystemCalls.close(connection)
            throw FastCGIError(.requestNotReceived, call: "FCGX_Accept_r", errorNumber: injected)
        }
        request.pointee.ipcFd = connection
        request.pointee.keepConnection = 1
        let result = FCGX_Accept_r(request)
        if result != 0 { throw FastCGIError(.requestNotReceived, call: "FCGX_Accept_r", errorNumber: -result) }
    }

    /// `FCGX_GetStr` on the request's input stream: up to `buffer.count` body bytes, 0 at the end.
    @inline(__always)
    public static func readInput(
        _ request: UnsafeMutablePointer<FCGX_Request>, into buffer: UnsafeMutableRawBufferPointer
    ) throws(FastCGIError) -> Int {
        if let injected = SystemCallFaults.errorNumber(for: "FCGX_GetStr") {
            throw FastCGIError(.readFailed, call: "FCGX_GetStr", errorNumber: injected)
        }
        guard buffer.count > 0 else { return 0 }
        let stream = request.pointee.in
        let count = FCGX_GetStr(buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(clamping: buffer.count), stream)
        if count == 0, let stream, FCGX_GetError(stream) != 0 {
            throw FastCGIError(.readFailed, call: "FCGX_GetStr", errorNumber: FCGX_GetError(stream))
        }
        return Int(count)
    }

    /// `FCGX_PutStr` of all of `bytes` to the request's output stream.
    @inline(__always)
    public static func writeOutput(_ request: UnsafeMutablePointer<FCGX_Request>, _ bytes: UnsafeRawBufferPointer) throws(FastCGIError) {
        if let injected = SystemCallFaults.errorNumber(for: "FCGX_PutStr") {
            throw FastCGIError(.writeFailed, call: "FCGX_PutStr", errorNumber: injected)
        }
        guard bytes.count > 0 else { return }
        let written = FCGX_PutStr(bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(clamping: bytes.count), request.pointee.out)
        if written != Int32(clamping: bytes.count) {
            let error = request.pointee.out.map { FCGX_GetError($0) } ?? 0
            throw FastCGIError(.writeFailed, call: "FCGX_PutStr", errorNumber: error)
        }
    }

    /// `FCGX_Finish_r`: flushes the output, sends the end-of-request record, frees the request's
    /// parameters and streams and closes the connection. Safe to call on a request that failed.
    ///
    /// libfcgi closes "lingeringly": `shutdown`, then it waits (up to 2 s) for nginx to close its
    /// end, so that unread request bytes cannot turn the close into a reset that loses the
    /// response. That wait is a round trip through nginx per request during which the worker
    /// idles. When the request's input was read to its end (`inputConsumed`) there is nothing
    /// to reset, so the worker keeps libfcgi from closing and closes the socket itself at once.
    /// Otherwise (a refused 413 body, a broken stream) libfcgi's lingering close is kept.
    @inline(__always)
    public static func finish(_ request: UnsafeMutablePointer<FCGX_Request>, inputConsumed: Bool) {
        if inputConsumed { request.pointee.keepConnection = 1 }
        FCGX_Finish_r(request)
        if inputConsumed && request.pointee.ipcFd >= 0 {
            SystemCalls.close(request.pointee.ipcFd)
            request.pointee.ipcFd = -1
        }
    }
}
