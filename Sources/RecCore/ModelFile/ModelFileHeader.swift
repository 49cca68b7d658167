import RecModels

/// The fixed 128-byte header of a model file: identification, sizes, the model's scalars and
/// where the section table is.
///
/// `parse` checks every field that can be checked without the sections, in the order that
/// gives the most useful error: a foreign file says "not a model file" rather than "truncated".
struct ModelFileHeader: Equatable {
    /// The size of the whole file in bytes.
    var fileSize: Int
    /// The stored checksum (`ModelFileChecksum`).
    var checksum: UInt64
    /// The number of section-table entries.
    var sectionCount: Int
    /// The number of items.
    var itemCount: Int
    /// The number of users.
    var userCount: Int
    /// The number of latent factors.
    var factorCount: Int
    /// The floats between the starts of two factor rows.
    var factorStride: Int
    /// The neighbour slots per item.
    var neighboursPerItem: Int
    /// The mean training rating.
    var globalMean: Float
    /// The fold-in regularisation.
    var foldIn: FoldInParameters

    /// Where the sections may start: the end of the section table.
    var sectionTableEnd: Int { ModelFileLayout.sectionEntryOffset(sectionCount) }

    /// Reads and checks the header of `file`, the whole file's bytes, found at `path`.
    static func parse(_ file: UnsafeRawBufferPointer, path: String) throws(ModelFileError) -> ModelFileHeader {
        typealias Field = ModelFileLayout.HeaderField
        try checkIdentity(file, path: path)
        func uint32(_ offset: Int) -> UInt32 { UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        func uint64(_ offset: Int) -> UInt64 { UInt64(littleEndian: file.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        func float(_ offset: Int) -> Float { Float(bitPattern: uint32(offset)) }
        func corrupt(_ reason: String) -> ModelFileError { ModelFileError(.corruptHeader, path: path, reason: reason) }

        let declaredSize = uint64(Field.fileSize)
        guard declaredSize <= UInt64(file.count) else {
            throw ModelFileError(
                .truncated, path: path, reason: "the file is truncated: \(file.count) bytes of the \(declaredSize) its header declares")
        }
        guard declaredSize == UInt64(file.count) else {
            throw corrupt("the file has \(file.count) bytes but its header declares \(declaredSize)")
        }
        guard uint32(Field.headerSize) == UInt32(ModelFileLayout.headerSize),
            uint32(Field.sectionTableOffset) == UInt32(ModelFileLayout.headerSize),
            uint32(Field.sectionEntrySize) == UInt32(ModelFileLayout.sectionEntrySize)
        else {
            throw corrupt("the header size, section table offset or section entry size is not the version-1 value")
        }
        let sectionCount = Int(uint32(Field.sectionCount))
        guard ModelFileLayout.sectionEntryOffset(sectionCount) <= file.count else {
            throw corrupt("the section table of \(sectionCount) entries does not fit in the file")
        }

        let header = ModelFileHeader(
            fileSize: file.count, checksum: uint64(Field.checksum), sectionCount: sectionCount,
            itemCount: Int(uint32(Field.itemCount)), userCount: Int(uint32(Field.userCount)),
            factorCount: Int(uint32(Field.factorCount)), factorStride: Int(uint32(Field.factorStride)),
            neighboursPerItem: Int(uint32(Field.neighboursPerItem)), globalMean: float(Field.globalMean),
            foldIn: FoldInParameters(
                biasRegularization: float(Field.foldInBiasRegularization),
                factorRegularization: float(Field.foldInFactorRegularization),
                priorRatingCount: float(Field.foldInPriorRatingCount)))
        guard header.itemCount <= Int(Int32.max), header.userCount <= Int(Int32.max) else {
            throw corrupt("\(header.itemCount) items or \(header.userCount) users exceed what 32-bit indices can address")
        }
        guard header.factorStride >= header.factorCount,
            header.factorStride % ModelFileLayout.factorRowAlignment == 0
        else {
            throw corrupt(
                "the factor stride \(header.factorStride) must be a multiple of \(ModelFileLayout.factorRowAlignment) and at least the factor count \(header.factorCount)"
            )
        }
        return header
    }

    /// Checks that `file` is a whole header long and says what it is: the magic, a
    /// little-endian byte-order mark and the format version this build reads.
    private static func checkIdentity(_ file: UnsafeRawBufferPointer, path: String) throws(ModelFileError) {
        typealias Field = ModelFileLayout.HeaderField
        let magic = ModelFileLayout.magic
        guard file.count >= magic.count else {
            throw ModelFileError(.truncated, path: path, reason: "the file has only \(file.count) bytes, too few for a model file")
        }
        guard file.prefix(magic.count).elementsEqual(magic) else {
            throw ModelFileError(.badMagic, path: path, reason: "not a RecServe model file (it does not start with \"RECMODEL\")")
        }
        guard file.count >= ModelFileLayout.headerSize else {
            throw ModelFileError(
                .truncated, path: path,
                reason: "the file is truncated: \(file.count) bytes, shorter than the \(ModelFileLayout.headerSize)-byte header")
        }
        func uint32(_ offset: Int) -> UInt32 { UInt32(littleEndian: file.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        let byteOrderMark = uint32(Field.byteOrderMark)
        if byteOrderMark == ModelFileLayout.byteOrderMark.byteSwapped {
            throw ModelFileError(
                .wrongByteOrder, path: path, reason: "the file was written big-endian; only little-endian model files can be used")
        }
        guard byteOrderMark == ModelFileLayout.byteOrderMark else {
            throw ModelFileError(
                .corruptHeader, path: path,
                reason:
                    "the byte-order mark is 0x\(String(byteOrderMark, radix: 16)), not 0x\(String(ModelFileLayout.byteOrderMark, radix: 16))"
            )
        }
        let version = uint32(Field.formatVersion)
        guard version == ModelFileLayout.formatVersion else {
            throw ModelFileError(
                .unsupportedVersion, path: path,
                reason:
                    "format version \(version) is not supported; this build reads version \(ModelFileLayout.formatVersion). Retrain with `rec-cli train` or use a matching build"
            )
        }
    }

    /// Writes the header into the first 128 bytes of `file`, with a zero checksum; reserved
    /// bytes are left as they are (zero in a fresh buffer).
    func store(into file: UnsafeMutableRawBufferPointer) {
        typealias Field = ModelFileLayout.HeaderField
        func store(_ value: UInt32, _ offset: Int) { file.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
        func store(_ value: Float, _ offset: Int) { store(value.bitPattern, offset) }

        file.copyBytes(from: ModelFileLayout.magic)
        store(ModelFileLayout.formatVersion, Field.formatVersion)
        store(ModelFileLayout.byteOrderMark, Field.byteOrderMark)
        file.storeBytes(of: UInt64(fileSize).littleEndian, toByteOffset: Field.fileSize, as: UInt64.self)
        file.storeBytes(of: UInt64(0), toByteOffset: Field.checksum, as: UInt64.self)
        store(UInt32(ModelFileLayout.headerSize), Field.headerSize)
        store(UInt32(sectionCount), Field.sectionCount)
        store(UInt32(ModelFileLayout.headerSize), Field.sectionTableOffset)
        store(UInt32(ModelFileLayout.sectionEntrySize), Field.sectionEntrySize)
        store(UInt32(itemCount), Field.itemCount)
        store(UInt32(userCount), Field.userCount)
        store(UInt32(factorCount), Field.factorCount)
        store(UInt32(factorStride), Field.factorStride)
        store(UInt32(neighboursPerItem), Field.neighboursPerItem)
        store(globalMean, Field.globalMean)
        store(foldIn.biasRegularization, Field.foldInBiasRegularization)
        store(foldIn.factorRegularization, Field.foldInFactorRegularization)
        store(foldIn.priorRatingCount, Field.foldInPriorRatingCount)
    }
}
