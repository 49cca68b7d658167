/// The checksum a model file stores in its header: XXH64 (seed 0) of the whole file, with the
/// 8 bytes of the checksum field itself taken as zero.
///
/// Covering the whole file, header and section table included, means any flipped bit, torn
/// write or stray padding byte is caught by one pass, and a writer can compute the value over
/// its finished bytes and store it last.
public enum ModelFileChecksum {
    /// The checksum of the model file whose bytes are `file`, whatever the checksum field holds.
    public static func compute(file: UnsafeRawBufferPointer) -> UInt64 {
        let fieldStart = ModelFileLayout.HeaderField.checksum, fieldEnd = fieldStart + 8
        var hasher = XXHash64(seed: ModelFileLayout.checksumSeed)
        hasher.update(UnsafeRawBufferPointer(rebasing: file[0..<min(file.count, fieldStart)]))
        if file.count > fieldStart {
            let zeros: UInt64 = 0
            withUnsafeBytes(of: zeros) { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<(min(file.count, fieldEnd) - fieldStart)])) }
        }
        if file.count > fieldEnd {
            hasher.update(UnsafeRawBufferPointer(rebasing: file[fieldEnd...]))
        }
        return hasher.finalize()
    }

    /// Computes the checksum of `file` and stores it in its checksum field.
    public static func seal(_ file: inout [UInt8]) {
        precondition(file.count >= ModelFileLayout.headerSize, "a model file has at least a header")
        file.withUnsafeMutableBytes { bytes in
            let checksum = compute(file: UnsafeRawBufferPointer(bytes))
            bytes.storeBytes(of: checksum.littleEndian, toByteOffset: ModelFileLayout.HeaderField.checksum, as: UInt64.self)
        }
    }
}
