#if _endian(big)
#error("Model files are little-endian and used in place from a memory map; a big-endian build cannot read them.")
#endif

/// The byte layout of a model file, format version 1: where each header field and each
/// section-table field lives, and the alignment rules the writer follows and the reader checks.
///
/// A model file is a 128-byte header, a table of 32-byte section entries right after it, and
/// the sections, each starting on a 64-byte boundary with zero padding between them. All
/// numbers are little-endian. `docs/model-file-format.md` describes the format in full.
/// Tools and tests use these constants to find and patch fields without duplicating them.
public enum ModelFileLayout {
    /// The 8 bytes every model file starts with, `RECMODEL`, so a foreign file is recognised at once.
    public static let magic: [UInt8] = Array("RECMODEL".utf8)
    /// The format version this build writes and the only one it reads.
    public static let formatVersion: UInt32 = 1
    /// The value stored in the byte-order field; a big-endian writer would store its byte swap.
    public static let byteOrderMark: UInt32 = 0x0A0B_0C0D
    /// The size of the fixed header in bytes; the section table starts right after it.
    public static let headerSize = 128
    /// The size of one section-table entry in bytes.
    public static let sectionEntrySize = 32
    /// Every section starts at a multiple of this many bytes, a cache line, so factor rows
    /// can be read with aligned vector loads straight from the map.
    public static let sectionAlignment = 64
    /// Factor rows are padded to a multiple of this many floats (64 bytes).
    public static let factorRowAlignment = 16
    /// The seed of the XXH64 checksum.
    public static let checksumSeed: UInt64 = 0
    /// The file name extension of a model generation, as in `model-7.recmodel`.
    public static let fileExtension = "recmodel"

    /// Byte offsets of the header fields from the start of the file.
    ///
    /// Bytes 84 to 127 are reserved: written as zero and ignored by version-1 readers.
    public enum HeaderField {
        /// The 8 magic bytes (`ModelFileLayout.magic`).
        public static let magic = 0
        /// `UInt32`: the format version.
        public static let formatVersion = 8
        /// `UInt32`: `ModelFileLayout.byteOrderMark` in the writer's byte order.
        public static let byteOrderMark = 12
        /// `UInt64`: the size of the whole file in bytes, so truncation is detected on open.
        public static let fileSize = 16
        /// `UInt64`: XXH64 of the whole file with these 8 bytes taken as zero.
        public static let checksum = 24
        /// `UInt32`: the header size, `ModelFileLayout.headerSize`.
        public static let headerSize = 32
        /// `UInt32`: the number of entries in the section table.
        public static let sectionCount = 36
        /// `UInt32`: where the section table starts, `ModelFileLayout.headerSize`.
        public static let sectionTableOffset = 40
        /// `UInt32`: the size of one section entry, `ModelFileLayout.sectionEntrySize`.
        public static let sectionEntrySize = 44
        /// `UInt32`: the number of items (movies).
        public static let itemCount = 48
        /// `UInt32`: the number of users.
        public static let userCount = 52
        /// `UInt32`: the number of latent factors per user and item.
        public static let factorCount = 56
        /// `UInt32`: the floats between the starts of two factor rows, a multiple of 16.
        public static let factorStride = 60
        /// `UInt32`: the neighbour slots per item.
        public static let neighboursPerItem = 64
        /// `Float32`: the mean training rating.
        public static let globalMean = 68
        /// `Float32`: the fold-in bias regularisation.
        public static let foldInBiasRegularization = 72
        /// `Float32`: the fold-in factor regularisation.
        public static let foldInFactorRegularization = 76
        /// `Float32`: the fold-in prior rating count.
        public static let foldInPriorRatingCount = 80
    }

    /// Byte offsets of the fields within one section-table entry.
    ///
    /// Bytes 24 to 31 of an entry are reserved: written as zero and ignored by version-1 readers.
    public enum SectionEntryField {
        /// `UInt32`: the section kind (`ModelFileSectionKind`'s raw value).
        public static let kind = 0
        /// `UInt32`: the size of one element in bytes.
        public static let elementSize = 4
        /// `UInt64`: where the section starts, from the start of the file; a multiple of 64.
        public static let offset = 8
        /// `UInt64`: the section's length in bytes, a multiple of the element size.
        public static let length = 16
    }

    /// The byte offset of section-table entry `index`.
    public static func sectionEntryOffset(_ index: Int) -> Int {
        headerSize + index * sectionEntrySize
    }

    /// The floats per stored factor row for `factorCount` factors: the count rounded up to a
    /// multiple of 16, so every row starts 64-byte aligned.
    public static func factorStride(forFactorCount factorCount: Int) -> Int {
        (factorCount + factorRowAlignment - 1) / factorRowAlignment * factorRowAlignment
    }

    /// `offset` rounded up to the next section boundary.
    static func sectionAligned(_ offset: Int) -> Int {
        (offset + sectionAlignment - 1) / sectionAlignment * sectionAlignment
    }
}
