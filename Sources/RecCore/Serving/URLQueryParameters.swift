/// The parameters of a URL query string such as `movie_name=Toy%20Story&n=3`, decoded.
///
/// `+` is a space and `%XX` a byte, as browsers and `curl --data-urlencode` send them; a
/// malformed escape is kept as typed. Names are matched exactly (`n` and `N` differ).
public struct URLQueryParameters: Sendable, Equatable {
    /// The decoded (name, value) pairs, in order; a name given twice appears twice.
    public var pairs: [(name: String, value: String)]

    /// Parses `query`, the part after `?` (without it).
    public init(_ query: String) {
        pairs = []
        guard !query.isEmpty else { return }
        for component in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = component.firstIndex(of: UInt8(ascii: "=")) {
                pairs.append((Self.decode(component[..<equals]), Self.decode(component[component.index(after: equals)...])))
            } else {
                pairs.append((Self.decode(component), ""))
            }
        }
    }

    /// The value of the parameter named `name`, if any.
    ///
    /// - Throws: `APIError.invalidParameter` when it is given twice with different values, so
    ///   `?lines=20&lines=30` is refused instead of silently picking one.
    public func value(_ name: String) throws(APIError) -> String? {
        try value(anyOf: [name])?.value
    }

    /// The first of `names` that is present, with its value; `nil` when none is.
    ///
    /// - Throws: `APIError.invalidParameter` when two of them are given, so `?top=5&n=7` is
    ///   refused instead of silently picking one.
    public func value(anyOf names: [String]) throws(APIError) -> (name: String, value: String)? {
        let present = pairs.filter { names.contains($0.name) }
        guard let first = present.first else { return nil }
        if let other = present.dropFirst().first(where: { $0.name != first.name || $0.value != first.value }) {
            if other.name == first.name {
                throw APIError(.invalidParameter, "the query gives '\(first.name)' more than once, with different values; give it once")
            }
            throw APIError(
                .invalidParameter, "the query gives '\(first.name)' and '\(other.name)', which mean the same; give one of them once")
        }
        return (first.name, first.value)
    }

    /// Whether both hold the same pairs in the same order.
    public static func == (lhs: URLQueryParameters, rhs: URLQueryParameters) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Decodes `+` and `%XX`; the result is UTF-8, with invalid sequences replaced by U+FFFD.
    private static func decode(_ bytes: Substring.UTF8View.SubSequence) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                let high = bytes.index(index, offsetBy: 1, limitedBy: bytes.endIndex), high < bytes.endIndex,
                let low = bytes.index(index, offsetBy: 2, limitedBy: bytes.endIndex), low < bytes.endIndex,
                let highValue = hexValue(bytes[high]), let lowValue = hexValue(bytes[low])
            {
                decoded.append(highValue << 4 | lowValue)
                index = low
            } else {
                decoded.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
