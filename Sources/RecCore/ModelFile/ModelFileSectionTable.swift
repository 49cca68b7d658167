/// One entry of a model file's section table: what a section holds and which bytes it spans.
struct ModelFileSection: Equatable {
    /// The raw section kind; kinds this build does not know are kept so they can be skipped.
    var kind: UInt32
    /// The size of one element in bytes.
    var elementSize: Int
    /// Where the section starts, from the start of the file.
    var offset: Int
    /// The section's length in bytes.
    var length: Int

    /// The number of elements in the section.
    var elementCount: Int { length / elementSize }

    /// The kind's name for messages, for example `itemFactors` or `kind 99`.
    var name: String { Self.name(ofKind: kind) }

    /// The name of the raw section kind `kind` for messages.
    static func name(ofKind kind: UInt32) -> String {
        ModelFileSectionKind(rawValue: kind).map { "\($0)" } ?? "kind \(kind)"
    }

    /// Writes this entry as entry `index` of the section table in `file`.
    func store(into file: UnsafeMutableRawBufferPointer, asEntry index: Int) {
        typealias Field = ModelFileLayout.SectionEntryField
        let entry = ModelFileLayout.sectionEntryOffset(index)
        file.storeBytes(of: kind.littleEndian, toByteOffset: entry + Field.kind, as: UInt32.self)
        file.storeBytes(of: UInt32(elementSize).littleEndian, toByteOffset: entry + Field.elementSize, as: UInt32.self)
        file.storeBytes(of: UInt64(offset).littleEndian, toByteOffset: entry + Field.offset, as: UInt64.self)
        file.storeBytes(of: UInt64(length).littleEndian, toByteOffset: entry + Field.length, as: UInt64.self)
    }
}

/// The checked section table of a mapped model file, and typed views of its sections.
///
/// `parse` proves, before any section is touched, that every section lies inside the file
/// after the table, starts 64-byte aligned, holds whole elements of the size its kind
/// requires, overlaps no other section, and that each known kind appears once and every
/// required kind is present. The views then only need to check element counts.
struct ModelFileSectionTable {
    private let file: UnsafeRawBufferPointer
    private let path: String
    private let sectionsByKind: [ModelFileSectionKind: ModelFileSection]

    /// Reads and checks the section table of `file`, whose header is `header`.
    init(file: UnsafeRawBufferPointer, header: ModelFileHeader, path: String) throws(ModelFileError) {
        typealias Field = ModelFileLayout.SectionEntryField
        func corrupt(_ reason: String) -> ModelFileError { ModelFileError(.corruptSection, path: path, reason: reason) }

        var sections: [ModelFileSection] = []
        var sectionsByKind: [ModelFileSectionKind: ModelFileSection] = [:]
        for index in 0..<header.sectionCount {
            let entry = ModelFileLayout.sectionEntryOffset(index)
            let kind = UInt32(littleEndian: file.loadUnaligned(fromByteOffset: entry + Field.kind, as: UInt32.self))
            let elementSize = UInt32(littleEndian: file.loadUnaligned(fromByteOffset: entry + Field.elementSize, as: UInt32.self))
            let offset = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: entry + Field.offset, as: UInt64.self))
            let length = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: entry + Field.length, as: UInt64.self))
            let name = ModelFileSection.name(ofKind: kind)
            let fileSize = UInt64(file.count)

            guard offset >= UInt64(header.sectionTableEnd), offset <= fileSize, length <= fileSize - offset else {
                throw corrupt(
                    "section \(index) (\(name)) spans bytes \(offset) to \(offset &+ length), outside the \(header.sectionTableEnd)...\(fileSize) the sections may use"
                )
            }
            guard offset % UInt64(ModelFileLayout.sectionAlignment) == 0 else {
                throw corrupt(
                    "section \(index) (\(name)) starts at byte \(offset), not on a \(ModelFileLayout.sectionAlignment)-byte boundary")
            }
            guard elementSize > 0, length % UInt64(elementSize) == 0 else {
                throw corrupt("section \(index) (\(name)) is \(length) bytes long, not a whole number of \(elementSize)-byte elements")
            }
            let section = ModelFileSection(kind: kind, elementSize: Int(elementSize), offset: Int(offset), length: Int(length))
            sections.append(section)

            guard let known = ModelFileSectionKind(rawValue: kind) else { continue }
            guard section.elementSize == known.elementSize else {
                throw corrupt(
                    "section \(index) (\(name)) has \(elementSize)-byte elements; its kind has \(known.elementSize)-byte elements")
            }
            guard sectionsByKind.updateValue(section, forKey: known) == nil else {
                throw corrupt("the section table lists \(name) twice")
            }
        }

        let occupied = sections.filter { $0.length > 0 }.sorted { $0.offset < $1.offset }
        for (earlier, later) in zip(occupied, occupied.dropFirst()) where earlier.offset + earlier.length > later.offset {
            throw corrupt("sections \(earlier.name) and \(later.name) overlap")
        }
        for kind in ModelFileSectionKind.allCases where kind.isRequired && sectionsByKind[kind] == nil {
            throw corrupt("the required section \(kind) is missing")
        }
        self.file = file
        self.path = path
        self.sectionsByKind = sectionsByKind
    }

    /// A typed view of the section `kind`, which must hold exactly `expectedCount` elements;
    /// `nil` when an optional section is absent.
    func elements<Element>(
        _ kind: ModelFileSectionKind, as type: Element.Type, count expectedCount: Int?
    ) throws(ModelFileError) -> UnsafeBufferPointer<Element>? {
        guard let section = sectionsByKind[kind] else { return nil }
        precondition(MemoryLayout<Element>.stride == section.elementSize, "the view type must match the section's element size")
        if let expectedCount, section.elementCount != expectedCount {
            throw ModelFileError(
                .corruptSection, path: path,
                reason: "the \(kind) section holds \(section.elementCount) elements where the header implies \(expectedCount)")
        }
        let start = file.baseAddress!.advanced(by: section.offset).bindMemory(to: Element.self, capacity: section.elementCount)
        return UnsafeBufferPointer(start: start, count: section.elementCount)
    }

    /// A typed view of the required section `kind`, which must hold exactly `expectedCount` elements.
    func requiredElements<Element>(
        _ kind: ModelFileSectionKind, as type: Element.Type, count expectedCount: Int? = nil
    ) throws(ModelFileError) -> UnsafeBufferPointer<Element> {
        try elements(kind, as: type, count: expectedCount)!
    }

    /// Whether the file has a section of `kind`.
    func contains(_ kind: ModelFileSectionKind) -> Bool { sectionsByKind[kind] != nil }

    /// Whether the file has the sections `kinds`, which go together: `true` with all of them,
    /// `false` with none.
    ///
    /// - Throws: `corruptSection` when only some are present, naming the missing ones; `what`
    ///   begins the reason, as in "the genres are".
    func containsAll(_ kinds: [ModelFileSectionKind], what: String) throws(ModelFileError) -> Bool {
        let missing = kinds.filter { !contains($0) }
        guard missing.count != kinds.count else { return false }
        guard missing.isEmpty else {
            throw ModelFileError(
                .corruptSection, path: path, reason: "\(what) incomplete: \(missing.map { "\($0)" }.joined(separator: ", ")) missing")
        }
        return true
    }

    /// The bytes of the required section `kind`.
    func requiredBytes(_ kind: ModelFileSectionKind) -> UnsafeRawBufferPointer {
        let section = sectionsByKind[kind]!
        return UnsafeRawBufferPointer(rebasing: file[section.offset..<(section.offset + section.length)])
    }
}
