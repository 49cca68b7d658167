/// Whether the bytes waiting on a FastCGI connection hold a whole request yet, read from the
/// record headers without consuming anything (the worker peeks at the socket).
///
/// A worker hands a connection to libfcgi only once its request has fully arrived: the records
/// up to and including the empty `FCGI_STDIN` record that ends every request. nginx writes a
/// request in one go, so its connections are ready at once; a client of the socket that sends
/// nothing, or half a request, is parked instead of blocking the single-threaded worker, and
/// closed after `RequestWatchdog.receiveTimeoutSeconds`. Pure, so it is tested on byte arrays.
public enum FastCGIRequestArrival: Sendable, Equatable {
    /// The whole request is there (or the bytes are not FastCGI, or fill the peek buffer):
    /// serve it now; libfcgi reads without waiting, or refuses it at once.
    case ready
    /// Part of a request, or nothing yet: wait for more.
    case incomplete

    /// The FastCGI record type that carries the request body; an empty one ends the request.
    static let standardInputType: UInt8 = 5
    /// The size of a record header.
    static let headerSize = 8

    /// Classifies `bytes`, the start of what the connection has sent; `isBufferFull` says the
    /// peek filled its whole buffer, so more may be waiting than could be looked at.
    public static func classify(_ bytes: UnsafeRawBufferPointer, isBufferFull: Bool) -> FastCGIRequestArrival {
        var offset = 0
        while offset + headerSize <= bytes.count {
            let version = bytes[offset]
            guard version == 1 else { return .ready }
            let type = bytes[offset + 1]
            let contentLength = Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
            let paddingLength = Int(bytes[offset + 6])
            if type == standardInputType && contentLength == 0 { return .ready }
            offset += headerSize + contentLength + paddingLength
        }
        return isBufferFull ? .ready : .incomplete
    }
}
