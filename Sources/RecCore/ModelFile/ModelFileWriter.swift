import Foundation
import RecModels
import RecSystem
import RecTitleMatching

/// Turns a trained `ModelArtifact` into the bytes of a model file.
///
/// The artifact is checked first against the same rules the reader enforces, so every file
/// the writer produces opens, and a training bug surfaces as a clear error at training time
/// instead of as a model the server refuses. `ModelStore.publish` is the durable way to put
/// the bytes on disk.
public enum ModelFileWriter {
    /// Checks that `artifact` is consistent: array lengths agree with the item, user, factor
    /// and neighbour counts, ids strictly ascend, and every index and offset is in range.
    public static func validate(_ artifact: ModelArtifact) throws(ModelFileError) {
        let itemCount = artifact.itemCount, userCount = artifact.userCount, factorCount = artifact.factorCount
        let neighboursPerItem = artifact.neighbours.neighboursPerItem
        guard itemCount <= Int(Int32.max), userCount <= Int(Int32.max) else {
            throw invalidArtifact("\(itemCount) items or \(userCount) users exceed what 32-bit indices can address")
        }
        guard (0...Int(UInt32.max - UInt32(ModelFileLayout.factorRowAlignment))).contains(factorCount),
            (0...Int(UInt32.max)).contains(neighboursPerItem)
        else {
            throw invalidArtifact("the factor count \(factorCount) or neighbours per item \(neighboursPerItem) is out of range")
        }
        try validateItemCounts(artifact)
        if let ranking = artifact.ranking { try validateRankingCounts(ranking, itemCount: itemCount, userCount: userCount) }
        try expectCount(artifact.userBiases.count, userCount, "userBiases")
        try expectCount(artifact.userFactors.count, userCount * factorCount, "userFactors")
        let titleByteCount = artifact.titles.reduce(0) { $0 + $1.utf8.count }
        guard titleByteCount <= Int(UInt32.max) else {
            throw invalidArtifact("the titles have \(titleByteCount) bytes of UTF-8, more than 32-bit offsets can address")
        }
        if let genres = artifact.genres { try validateGenres(genres, itemCount: itemCount) }
        do throws(ModelFileInvariants.Violation) {
            try checkInvariants(artifact)
        } catch {
            throw invalidArtifact(error.reason)
        }
    }

    /// The error of an artifact that breaks a rule of the file format.
    private static func invalidArtifact(_ reason: String) -> ModelFileError {
        ModelFileError(.invalidArtifact, path: "", reason: "invalid model artifact: \(reason)")
    }

    /// Throws unless the array `name` has `expected` values.
    private static func expectCount(_ actual: Int, _ expected: Int, _ name: String) throws(ModelFileError) {
        guard actual == expected else { throw invalidArtifact("\(name) has \(actual) values, expected \(expected)") }
    }

    /// The lengths of the per-item arrays, and the fold-in penalties.
    private static func validateItemCounts(_ artifact: ModelArtifact) throws(ModelFileError) {
        let itemCount = artifact.itemCount, factorCount = artifact.factorCount
        let neighboursPerItem = artifact.neighbours.neighboursPerItem
        try expectCount(artifact.titles.count, itemCount, "titles")
        try expectCount(artifact.itemRatingCounts.count, itemCount, "itemRatingCounts")
        try expectCount(artifact.itemBiases.count, itemCount, "itemBiases")
        try expectCount(artifact.itemFactors.count, itemCount * factorCount, "itemFactors")
        if let implicitFactors = artifact.itemImplicitFactors {
            try expectCount(implicitFactors.count, itemCount * factorCount, "itemImplicitFactors")
        }
        if let penalties = artifact.foldInFactorPenalties {
            try expectCount(penalties.count, factorCount, "foldInFactorPenalties")
            guard penalties.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw invalidArtifact("foldInFactorPenalties must be finite and positive")
            }
        }
        try expectCount(artifact.neighbours.items.count, itemCount * neighboursPerItem, "neighbours.items")
        try expectCount(artifact.neighbours.similarities.count, itemCount * neighboursPerItem, "neighbours.similarities")
    }

    /// One genre list per item, each genre storable (not empty, no `|`), within 32-bit offsets.
    private static func validateGenres(_ genres: [[String]], itemCount: Int) throws(ModelFileError) {
        try expectCount(genres.count, itemCount, "genres")
        if let (item, genre) = MovieGenresView.unstorableGenre(in: genres) {
            throw invalidArtifact("item \(item) has the genre '\(genre)', which is empty or holds the separator '|'")
        }
        let byteCount = genres.reduce(0) { total, list in total + list.reduce(max(list.count - 1, 0)) { $0 + $1.utf8.count } }
        guard byteCount <= Int(UInt32.max) else {
            throw invalidArtifact("the genres have \(byteCount) bytes of UTF-8, more than 32-bit offsets can address")
        }
    }

    /// The lengths of the ranking model's arrays, and finite blends.
    private static func validateRankingCounts(_ ranking: RankingArtifact, itemCount: Int, userCount: Int) throws(ModelFileError) {
        try expectCount(ranking.ratedItems.userCount, userCount, "ranking.ratedItems users")
        try expectCount(ranking.ratedItems.itemCount, itemCount, "ranking.ratedItems items")
        guard ranking.rankedItemsPerUser >= 0, ranking.rankedItemsPerUser <= itemCount else {
            throw invalidArtifact("ranking.rankedItemsPerUser is \(ranking.rankedItemsPerUser), not from 0 to the \(itemCount) items")
        }
        try expectCount(ranking.userRankedItems.count, userCount * ranking.rankedItemsPerUser, "ranking.userRankedItems")
        let watch = ranking.watchWeights, weightsPerItem = watch.weightsPerItem
        guard userCount > 0 || ranking.rankedItemsPerUser == 0, itemCount > 0 || weightsPerItem == 0 else {
            throw invalidArtifact("a ranking model without users or items must have empty rows (the file stores no row lengths)")
        }
        for (index, table) in watch.tables.enumerated() {
            guard table.neighboursPerItem == weightsPerItem else {
                throw invalidArtifact(
                    "watch-weight table \(index) has \(table.neighboursPerItem) slots per movie, the first \(weightsPerItem)")
            }
            try expectCount(table.items.count, itemCount * weightsPerItem, "ranking.watchWeights.tables[\(index)].items")
        }
        try expectCount(watch.tableOfGroup.count, RankingBlends.newPersonGroupCount, "ranking.watchWeights.tableOfGroup")
        guard watch.tables.indices.allSatisfy(watch.tableOfGroup.contains),
            watch.tableOfGroup.allSatisfy(watch.tables.indices.contains)
        else { throw invalidArtifact("every watch-weight table must be some group's, and every group's table must exist") }
        guard watch.tables.count == 1 || itemCount * weightsPerItem > 0 else {
            throw invalidArtifact("several watch-weight tables need at least one slot (the file stores no table lengths)")
        }
        guard ranking.blends.isFinite else { throw invalidArtifact("the ranking blends must be finite") }
    }

    /// The same invariants `ModelFileInvariants` checks when a file is opened: ascending ids,
    /// in-range indices, a consistent title index, finite watch weights.
    private static func checkInvariants(_ artifact: ModelArtifact) throws(ModelFileInvariants.Violation) {
        let itemCount = artifact.itemCount
        try artifact.movieIDs.withUnsafeBufferPointer { ids throws(ModelFileInvariants.Violation) in
            try ModelFileInvariants.checkStrictlyAscending(ids, name: "movie ids")
        }
        try artifact.userIDs.withUnsafeBufferPointer { ids throws(ModelFileInvariants.Violation) in
            try ModelFileInvariants.checkStrictlyAscending(ids, name: "user ids")
        }
        try artifact.itemRatingCounts.withUnsafeBufferPointer { counts throws(ModelFileInvariants.Violation) in
            try ModelFileInvariants.checkNonNegative(counts, name: "item rating counts")
        }
        let titleIndexViolation = artifact.titleIndex.withView { index -> ModelFileInvariants.Violation? in
            do throws(ModelFileInvariants.Violation) {
                try ModelFileInvariants.checkTitleIndex(index, itemCount: itemCount)
                return nil
            } catch {
                return error
            }
        }
        if let titleIndexViolation { throw titleIndexViolation }
        try artifact.neighbours.items.withUnsafeBufferPointer { items throws(ModelFileInvariants.Violation) in
            try ModelFileInvariants.checkNeighbourItems(items, itemCount: itemCount)
        }
        guard let ranking = artifact.ranking else { return }
        try ranking.ratedItems.starts.withUnsafeBufferPointer { starts throws(ModelFileInvariants.Violation) in
            try ranking.ratedItems.items.withUnsafeBufferPointer { items throws(ModelFileInvariants.Violation) in
                try ModelFileInvariants.checkRatedItems(starts: starts, items: items, itemCount: itemCount)
            }
        }
        try ranking.userRankedItems.withUnsafeBufferPointer { items throws(ModelFileInvariants.Violation) in
            try ModelFileInvariants.checkNeighbourItems(items, itemCount: itemCount)
        }
        for table in ranking.watchWeights.tables {
            try table.items.withUnsafeBufferPointer { items throws(ModelFileInvariants.Violation) in
                try ModelFileInvariants.checkNeighbourItems(items, itemCount: itemCount)
            }
            try table.similarities.withUnsafeBufferPointer { weights throws(ModelFileInvariants.Violation) in
                try ModelFileInvariants.checkFinite(weights, name: "watch weights")
            }
        }
    }

    /// The complete bytes of the model file for `artifact`, checksum included.
    public static func encode(_ artifact: ModelArtifact) throws(ModelFileError) -> [UInt8] {
        try validate(artifact)
        let sections = try plannedSections(artifact)
        var entries: [ModelFileSection] = []
        var end = ModelFileLayout.sectionEntryOffset(sections.count)
        for section in sections {
            let offset = ModelFileLayout.sectionAligned(end)
            entries.append(
                ModelFileSection(
                    kind: section.kind.rawValue, elementSize: section.kind.elementSize,
                    offset: offset, length: section.byteCount))
            end = offset + section.byteCount
        }
        let header = ModelFileHeader(
            fileSize: end, checksum: 0, sectionCount: sections.count,
            itemCount: artifact.itemCount, userCount: artifact.userCount, factorCount: artifact.factorCount,
            factorStride: ModelFileLayout.factorStride(forFactorCount: artifact.factorCount),
            neighboursPerItem: artifact.neighbours.neighboursPerItem, globalMean: artifact.globalMean, foldIn: artifact.foldIn)

        var file = [UInt8](repeating: 0, count: end)
        file.withUnsafeMutableBytes { file in
            header.store(into: file)
            for (index, (entry, section)) in zip(entries, sections).enumerated() {
                entry.store(into: file, asEntry: index)
                section.fill(UnsafeMutableRawBufferPointer(rebasing: file[entry.offset..<(entry.offset + entry.length)]))
            }
        }
        ModelFileChecksum.seal(&file)
        return file
    }

    /// Every section of `artifact`'s file, in file order.
    private static func plannedSections(_ artifact: ModelArtifact) throws(ModelFileError) -> [PlannedSection] {
        let metadataJSON = try encodeMetadata(artifact.metadata)
        let factorCount = artifact.factorCount
        let stride = ModelFileLayout.factorStride(forFactorCount: factorCount)
        let titles = StringTable(artifact.titles)
        var sections: [PlannedSection] = [
            .array(.movieIDs, artifact.movieIDs),
            .array(.itemBiases, artifact.itemBiases),
            .array(.itemRatingCounts, artifact.itemRatingCounts),
            .factorRows(.itemFactors, artifact.itemFactors, factorCount: factorCount, stride: stride),
        ]
        if let implicitFactors = artifact.itemImplicitFactors {
            sections.append(.factorRows(.itemImplicitFactors, implicitFactors, factorCount: factorCount, stride: stride))
        }
        sections += [
            .array(.titleOffsets, titles.offsets),
            .array(.titleBytes, titles.bytes),
            .titleKeyEntries(artifact.titleIndex.entries),
            .array(.titleKeyBytes, artifact.titleIndex.keyBytes),
            .array(.neighbourItems, artifact.neighbours.items),
            .array(.neighbourSimilarities, artifact.neighbours.similarities),
            .array(.userIDs, artifact.userIDs),
            .array(.userBiases, artifact.userBiases),
            .factorRows(.userFactors, artifact.userFactors, factorCount: factorCount, stride: stride),
            .array(.metadataJSON, metadataJSON),
            .array(.titleTrigrams, artifact.titleIndex.trigrams),
            .array(.titleTrigramPostingStarts, artifact.titleIndex.trigramPostingStarts),
            .array(.titleTrigramPostings, artifact.titleIndex.trigramPostings),
        ]
        if let penalties = artifact.foldInFactorPenalties {
            sections.append(.array(.foldInFactorPenalties, penalties))
        }
        if let ranking = artifact.ranking {
            sections += [
                .array(.userRatedItemStarts, ranking.ratedItems.starts),
                .array(.userRatedItems, ranking.ratedItems.items),
                .array(.userRankedItems, ranking.userRankedItems),
                .array(.watchWeightItems, ranking.watchWeights.tables[0].items),
                .array(.watchWeights, ranking.watchWeights.tables[0].similarities),
                .array(.rankingBlends, ranking.blends.sectionValues),
            ]
            let moreTables = ranking.watchWeights.tables.dropFirst()
            if !moreTables.isEmpty {
                sections += [
                    .array(.moreWatchWeightItems, Array(moreTables.map(\.items).joined())),
                    .array(.moreWatchWeights, Array(moreTables.map(\.similarities).joined())),
                    .array(.newPersonWatchTables, ranking.watchWeights.tableOfGroup.map { UInt32($0) }),
                ]
            }
        }
        if let genres = artifact.genres {
            let table = MovieGenresView.table(storing: genres)
            sections += [.array(.genreOffsets, table.offsets), .array(.genreBytes, table.bytes)]
        }
        return sections
    }

    /// Writes the model file for `artifact` to `path` atomically and durably, through
    /// `path + ".tmp"`: a reader sees no file or the whole file. Publishing a generation goes
    /// through `ModelStore.publish`, which also numbers it and moves `CURRENT`.
    public static func write(_ artifact: ModelArtifact, toPath path: String) throws(ModelFileError) {
        let bytes = try encode(artifact)
        do throws(SystemCallError) {
            try AtomicFileWriter.write(bytes, to: path, temporaryPath: path + ".tmp")
        } catch {
            throw ModelFileError(error, path: path)
        }
    }

    /// The metadata as the file stores it: JSON with sorted keys, so equal metadata gives
    /// equal bytes and equal checksums.
    static func encodeMetadata(_ metadata: ModelMetadata) throws(ModelFileError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(metadata))
        } catch {
            throw ModelFileError(
                .invalidArtifact, path: "", reason: "invalid model artifact: the metadata cannot be encoded as JSON (\(error))")
        }
    }
}

/// One section the writer will lay out: its kind, its size, and how to fill its bytes.
private struct PlannedSection {
    var kind: ModelFileSectionKind
    var byteCount: Int
    /// Writes the section into a zeroed buffer of exactly `byteCount` bytes.
    var fill: (UnsafeMutableRawBufferPointer) -> Void

    /// A section holding `values` as they are in memory (little-endian, as the build requires).
    static func array<Element: BitwiseCopyable>(_ kind: ModelFileSectionKind, _ values: [Element]) -> PlannedSection {
        precondition(MemoryLayout<Element>.stride == kind.elementSize, "the array's element type must match the section kind")
        return PlannedSection(kind: kind, byteCount: values.count * MemoryLayout<Element>.stride) { destination in
            values.withUnsafeBytes { destination.copyMemory(from: $0) }
        }
    }

    /// A factor matrix of `factorCount`-wide rows, each stored `stride` floats apart with the
    /// padding left zero.
    static func factorRows(_ kind: ModelFileSectionKind, _ values: [Float], factorCount: Int, stride: Int) -> PlannedSection {
        let rowCount = factorCount == 0 ? 0 : values.count / factorCount
        let rowBytes = factorCount * MemoryLayout<Float>.stride, strideBytes = stride * MemoryLayout<Float>.stride
        return PlannedSection(kind: kind, byteCount: rowCount * strideBytes) { destination in
            values.withUnsafeBytes { source in
                for row in 0..<rowCount {
                    UnsafeMutableRawBufferPointer(rebasing: destination[(row * strideBytes)...])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(row * rowBytes)..<((row + 1) * rowBytes)]))
                }
            }
        }
    }

    /// The title-match entries, field by field in the documented 16-byte layout.
    static func titleKeyEntries(_ entries: [TitleKeyEntry]) -> PlannedSection {
        PlannedSection(kind: .titleKeyEntries, byteCount: entries.count * 16) { destination in
            for (index, entry) in entries.enumerated() {
                let offset = index * 16
                destination.storeBytes(of: entry.keyOffset.littleEndian, toByteOffset: offset, as: UInt32.self)
                destination.storeBytes(of: entry.keyLength.littleEndian, toByteOffset: offset + 4, as: UInt32.self)
                destination.storeBytes(of: entry.item.littleEndian, toByteOffset: offset + 8, as: Int32.self)
                destination.storeBytes(of: entry.kind.littleEndian, toByteOffset: offset + 12, as: UInt32.self)
            }
        }
    }
}
