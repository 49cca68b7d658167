/// The XXH64 hash (the public xxHash64 algorithm), fed incrementally.
///
/// Model files are checksummed with it because it runs at memory speed, so `verifyChecksum()`
/// on a large model costs milliseconds, while still catching any flipped bit or torn write.
/// Feeding the same bytes in any number of pieces gives the same hash as feeding them at once.
public struct XXHash64: Sendable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5
    private static let stripeSize = 32

    private let seed: UInt64
    private var lane1: UInt64
    private var lane2: UInt64
    private var lane3: UInt64
    private var lane4: UInt64
    /// Bytes of an incomplete 32-byte stripe, waiting for more input.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0
    private var totalLength: UInt64 = 0

    /// A hasher with nothing fed yet.
    public init(seed: UInt64 = 0) {
        self.seed = seed
        lane1 = seed &+ Self.prime1 &+ Self.prime2
        lane2 = seed &+ Self.prime2
        lane3 = seed
        lane4 = seed &- Self.prime1
    }

    /// The hash of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hasher = XXHash64(seed: seed)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The hash of `bytes`.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// Feeds `bytes` after everything fed so far.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalLength &+= UInt64(remaining)

        if pendingCount > 0 {
            let taken = min(Self.stripeSize - pendingCount, remaining)
            let offset = pendingCount
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.advanced(by: offset).copyMemory(from: input, byteCount: taken)
            }
            pendingCount += taken
            input += taken
            remaining -= taken
            if pendingCount < Self.stripeSize { return }
            let stripe = pending
            withUnsafeBytes(of: stripe) { consumeStripes($0.baseAddress!, count: 1) }
            pendingCount = 0
        }

        let stripeCount = remaining / Self.stripeSize
        if stripeCount > 0 {
            consumeStripes(input, count: stripeCount)
            input += stripeCount * Self.stripeSize
            remaining -= stripeCount * Self.stripeSize
        }
        if remaining > 0 {
            let tail = input
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.copyMemory(from: tail, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// The hash of everything fed so far; the hasher can keep being fed afterwards.
    public func finalize() -> UInt64 {
        var hash: UInt64
        if totalLength >= UInt64(Self.stripeSize) {
            hash = rotateLeft(lane1, 1) &+ rotateLeft(lane2, 7) &+ rotateLeft(lane3, 12) &+ rotateLeft(lane4, 18)
            hash = Self.mergeLane(hash, lane1)
            hash = Self.mergeLane(hash, lane2)
            hash = Self.mergeLane(hash, lane3)
            hash = Self.mergeLane(hash, lane4)
        } else {
            hash = seed &+ Self.prime5
        }
        hash &+= totalLength

        withUnsafeBytes(of: pending) { stripe in
            var offset = 0
            while offset + 8 <= pendingCount {
                let word = UInt64(littleEndian: stripe.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                hash ^= Self.round(0, word)
                hash = rotateLeft(hash, 27) &* Self.prime1 &+ Self.prime4
                offset += 8
            }
            if offset + 4 <= pendingCount {
                let word = UInt64(UInt32(littleEndian: stripe.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                hash ^= word &* Self.prime1
                hash = rotateLeft(hash, 23) &* Self.prime2 &+ Self.prime3
                offset += 4
            }
            while offset < pendingCount {
                hash ^= UInt64(stripe[offset]) &* Self.prime5
                hash = rotateLeft(hash, 11) &* Self.prime1
                offset += 1
            }
        }

        hash ^= hash &>> 33
        hash &*= Self.prime2
        hash ^= hash &>> 29
        hash &*= Self.prime3
        hash ^= hash &>> 32
        return hash
    }

    /// The hot loop: `count` whole stripes at `start`, with the lanes kept in registers.
    private mutating func consumeStripes(_ start: UnsafeRawPointer, count: Int) {
        var lane1 = self.lane1, lane2 = self.lane2, lane3 = self.lane3, lane4 = self.lane4
        var stripe = start
        for _ in 0..<count {
            lane1 = Self.round(lane1, UInt64(littleEndian: stripe.loadUnaligned(as: UInt64.self)))
            lane2 = Self.round(lane2, UInt64(littleEndian: stripe.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            lane3 = Self.round(lane3, UInt64(littleEndian: stripe.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
            lane4 = Self.round(lane4, UInt64(littleEndian: stripe.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            stripe += Self.stripeSize
        }
        self.lane1 = lane1
        self.lane2 = lane2
        self.lane3 = lane3
        self.lane4 = lane4
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotateLeft(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func mergeLane(_ hash: UInt64, _ lane: UInt64) -> UInt64 {
        (hash ^ round(0, lane)) &* prime1 &+ prime4
    }
}

@inline(__always)
private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
    (value &<< amount) | (value &>> (64 &- amount))
}
