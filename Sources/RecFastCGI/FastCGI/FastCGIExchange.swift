/// One accepted FastCGI request as the worker's request path sees it: the parameters, the body
/// stream and the output stream.
///
/// The worker serves through libfcgi (`LibraryExchange`); tests serve through arrays. The request
/// path is generic over this protocol, so the compiler specialises it for libfcgi and the
/// indirection costs nothing.
public protocol FastCGIExchange {
    /// Calls `body` with each parameter as its raw `NAME=value` bytes, without the NUL.
    func forEachParameter(_ body: (UnsafeBufferPointer<UInt8>) -> Void)

    /// Reads up to `buffer.count` bytes of the request body; 0 means the body has ended.
    mutating func readBody(into buffer: UnsafeMutableRawBufferPointer) throws(FastCGIError) -> Int

    /// Writes `bytes` to the response stream.
    mutating func writeOutput(_ bytes: UnsafeRawBufferPointer) throws(FastCGIError)
}
