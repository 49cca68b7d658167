/// What the `CONTENT_LENGTH` parameter says about the request body.
///
/// nginx sends it empty for requests without a body and as a plain decimal otherwise, but a
/// worker must not trust that: signs, spaces inside, hex, overflow and the like are refused
/// instead of being read as some other number.
public enum DeclaredContentLength: Sendable, Equatable {
    /// No `CONTENT_LENGTH`, or an empty one: the body, if any, runs to the end of the stream.
    case absent
    /// A body of exactly this many bytes. A number too large for `Int` becomes `Int.max`, which
    /// is over any limit.
    case bytes(Int)
    /// Something that is not a length; the request is answered with 400.
    case invalid

    /// Parses the parameter's value: decimal digits, optionally surrounded by spaces or tabs.
    public init(parsing value: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = value.count
        while start < end && (value[start] == 0x20 || value[start] == 0x09) { start += 1 }
        while end > start && (value[end - 1] == 0x20 || value[end - 1] == 0x09) { end -= 1 }
        guard start < end else {
            self = .absent
            return
        }
        var length = 0
        var saturated = false
        for index in start..<end {
            let byte = value[index]
            guard byte >= 0x30 && byte <= 0x39 else {
                self = .invalid
                return
            }
            if !saturated {
                let (times10, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
                if overflow1 || overflow2 { saturated = true } else { length = sum }
            }
        }
        self = .bytes(saturated ? Int.max : length)
    }

    /// Parses `text`, for callers and tests that hold a `String`.
    public init(parsing text: String) {
        var text = text
        self = text.withUTF8 { DeclaredContentLength(parsing: $0) }
    }
}
