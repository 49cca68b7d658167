#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CFastCGI

/// The worker's `FastCGIExchange`: the request libfcgi has just received on the worker's
/// `FCGX_Request`.
///
/// It is valid only until `FastCGILibrary.finish` (or the next receive) frees the parameters and
/// streams, which is why the request path copies everything it needs into an `APIRequest` first.
public struct LibraryExchange: FastCGIExchange {
    /// The libfcgi request, owned by the worker.
    let request: UnsafeMutablePointer<FCGX_Request>

    /// An exchange over `request`, which must have just been received.
    public init(request: UnsafeMutablePointer<FCGX_Request>) {
        self.request = request
    }

    /// Walks libfcgi's `envp` array of NUL-terminated `NAME=value` strings.
    @inline(__always)
    public func forEachParameter(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard var entry = request.pointee.envp else { return }
        while let pointer = entry.pointee {
            let length = strlen(pointer)
            body(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length))
            entry += 1
        }
    }

    /// Reads through `FCGX_GetStr`.
    @inline(__always)
    public mutating func readBody(into buffer: UnsafeMutableRawBufferPointer) throws(FastCGIError) -> Int {
        try FastCGILibrary.readInput(request, into: buffer)
    }

    /// Writes through `FCGX_PutStr`.
    @inline(__always)
    public mutating func writeOutput(_ bytes: UnsafeRawBufferPointer) throws(FastCGIError) {
        try FastCGILibrary.writeOutput(request, bytes)
    }
}
