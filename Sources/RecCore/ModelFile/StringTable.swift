/// Many strings stored as one byte buffer plus offsets: how titles live in the model file.
///
/// `offsets` has one more element than there are strings; string `i` is the UTF-8 bytes
/// `bytes[offsets[i]..<offsets[i + 1]]`.
public struct StringTable: Sendable, Equatable {
    /// `count + 1` ascending offsets into `bytes`, starting at 0.
    public var offsets: [UInt32]
    /// The concatenated UTF-8 bytes.
    public var bytes: [UInt8]

    /// A table holding `strings` in order.
    public init(_ strings: [String]) {
        var offsets: [UInt32] = [0]
        var bytes: [UInt8] = []
        offsets.reserveCapacity(strings.count + 1)
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(UInt32(bytes.count))
        }
        self.offsets = offsets
        self.bytes = bytes
    }

    /// The number of strings.
    public var count: Int { offsets.count - 1 }

    /// The string at `index`.
    public subscript(index: Int) -> String {
        String(decoding: bytes[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
    }
}

/// A read-only view of a `StringTable`, over owned arrays or a memory-mapped model file.
public struct StringTableView: @unchecked Sendable {
    /// `count + 1` ascending offsets into `bytes`.
    public var offsets: UnsafeBufferPointer<UInt32>
    /// The concatenated UTF-8 bytes.
    public var bytes: UnsafeRawBufferPointer

    /// Creates a view; the caller has checked that the offsets are ascending and within `bytes`.
    public init(offsets: UnsafeBufferPointer<UInt32>, bytes: UnsafeRawBufferPointer) {
        self.offsets = offsets
        self.bytes = bytes
    }

    /// The number of strings.
    public var count: Int { max(offsets.count - 1, 0) }

    /// The UTF-8 bytes of the string at `index`; empty if its offsets lie outside `bytes`,
    /// which only a file changed after it was validated can have.
    public func utf8(at index: Int) -> UnsafeRawBufferPointer {
        let start = Int(offsets[index]), end = Int(offsets[index + 1])
        guard start <= end, end <= bytes.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// The string at `index`.
    public subscript(index: Int) -> String {
        String(decoding: utf8(at: index), as: UTF8.self)
    }
}
