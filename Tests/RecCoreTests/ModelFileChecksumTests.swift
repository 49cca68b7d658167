import Testing
import RecCore

/// XXH64 against the reference implementation's published vectors, and the model file's
/// checksum coverage.
struct ModelFileChecksumTests {
    /// The buffer xxHash's own sanity check hashes: byte `i` is the top byte of
    /// `2654435761 × 11400714785074694797^i`.
    static let sanityBuffer: [UInt8] = {
        var generator: UInt64 = 2_654_435_761
        return (0..<2367).map { _ in
            defer { generator &*= 11_400_714_785_074_694_797 }
            return UInt8(generator >> 56)
        }
    }()

    @Test(arguments: [
        (0, UInt64(0), UInt64(0xEF46_DB37_51D8_E999)),
        (0, 2_654_435_761, 0xAC75_FDA2_929B_17EF),
        (1, 0, 0xE934_A84A_DB05_2768),
        (1, 2_654_435_761, 0x5014_6076_43A9_B4C3),
        (4, 0, 0x9136_A0DC_A574_57EE),
        (14, 0, 0x8282_DCC4_994E_35C8),
        (14, 2_654_435_761, 0xC3BD_6BF6_3DEB_6DF0),
        (222, 0, 0xB641_AE8C_B691_C174),
        (222, 2_654_435_761, 0x20CB_8AB7_AE10_C14A),
        (2367, 0, 0xA824_18DD_EC0E_A581),
        (2367, 2_654_435_761, 0xA36A_93C1_8052_673A),
    ])
    func matchesReferenceVectors(length: Int, seed: UInt64, expected: UInt64) {
        #expect(XXHash64.hash(Array(Self.sanityBuffer.prefix(length)), seed: seed) == expected)
    }

    @Test func matchesReferenceForText() {
        #expect(XXHash64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func givesTheSameHashWhateverThePieces() {
        let whole = XXHash64.hash(Self.sanityBuffer, seed: 7)
        var random = SeededRandomNumberGenerator(seed: 11)
        for _ in 0..<50 {
            var hasher = XXHash64(seed: 7)
            var start = 0
            Self.sanityBuffer.withUnsafeBytes { bytes in
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 0...70, using: &random))
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                }
            }
            #expect(hasher.finalize() == whole)
        }
    }

    @Test func modelFileChecksumTreatsOnlyTheChecksumFieldAsZero() throws {
        var file = try ModelFileWriter.encode(ModelFileFixtures.artifact(seed: 1))
        let field = ModelFileLayout.HeaderField.checksum
        let stored = file.load(UInt64.self, at: field)
        var zeroed = file
        zeroed.store(UInt64(0), at: field)
        #expect(stored == XXHash64.hash(zeroed, seed: ModelFileLayout.checksumSeed))
        #expect(file.withUnsafeBytes { ModelFileChecksum.compute(file: $0) } == stored)

        file.store(UInt64(0x1234), at: field)
        #expect(file.withUnsafeBytes { ModelFileChecksum.compute(file: $0) } == stored)
        file[field - 1] ^= 1
        #expect(file.withUnsafeBytes { ModelFileChecksum.compute(file: $0) } != stored)
    }
}
