import Foundation
import Testing
import RecCore

/// Truncated, bit-flipped, inconsistent and foreign files are reported as `ModelFileError`s,
/// never a crash and never a model that reads outside its map.
struct ModelFileCorruptionTests {
    typealias Header = ModelFileLayout.HeaderField
    typealias Entry = ModelFileLayout.SectionEntryField

    let folder = TemporaryDirectory()
    let artifact = ModelFileFixtures.artifact(seed: 21)
    let original: [UInt8]

    init() throws {
        original = try ModelFileWriter.encode(artifact)
    }

    /// What opening `bytes` as a model file fails with, or `nil` if it opens.
    private func openError(_ bytes: [UInt8], verifyContents: Bool = true) throws -> ModelFileError? {
        let path = folder.file("model-1.recmodel")
        try bytes.write(to: path)
        do {
            _ = try LoadedModel.open(path: path, verifyContents: verifyContents)
            return nil
        } catch {
            #expect(error.description.hasPrefix(path), "the message names the file")
            return error
        }
    }

    /// `bytes` with a correct checksum, so only the structural checks can catch the change.
    private func sealed(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        ModelFileChecksum.seal(&bytes)
        return bytes
    }

    private var sectionCount: Int { Int(original.load(UInt32.self, at: Header.sectionCount)) }

    /// The byte offset of the section-table entry for `kind`.
    private func entry(_ kind: ModelFileSectionKind) -> Int {
        let index = (0..<sectionCount).first { original.load(UInt32.self, at: ModelFileLayout.sectionEntryOffset($0)) == kind.rawValue }!
        return ModelFileLayout.sectionEntryOffset(index)
    }

    /// Where the section `kind` starts.
    private func start(_ kind: ModelFileSectionKind) -> Int {
        Int(original.load(UInt64.self, at: entry(kind) + Entry.offset))
    }

    @Test func reportsEveryTruncationAsTruncated() throws {
        for cut in 0..<original.count {
            #expect(try openError(Array(original.prefix(cut)))?.code == .truncated, "cut at \(cut)")
        }
        #expect(try openError(original) == nil)
    }

    @Test func catchesAFlippedBitAnywhere() throws {
        for byte in 0..<original.count {
            var flipped = original
            flipped[byte] ^= 1 << (byte % 8)
            #expect(try openError(flipped) != nil, "bit \(byte % 8) of byte \(byte)")
        }
    }

    @Test func detectsAFlippedFactorBitOnlyWithTheChecksum() throws {
        var flipped = original
        flipped[start(.itemFactors) + 5] ^= 0x10
        #expect(try openError(flipped, verifyContents: false) == nil)
        #expect(try openError(flipped)?.code == .checksumMismatch)
    }

    @Test func rejectsSectionTableEntriesOutOfBoundsMisalignedOrInconsistent() throws {
        let fileSize = UInt64(original.count)
        let fixedCount: Set<ModelFileSectionKind> = [
            .movieIDs, .itemBiases, .itemRatingCounts, .itemFactors, .itemImplicitFactors,
            .titleOffsets, .neighbourItems, .neighbourSimilarities, .userIDs,
            .userBiases, .userFactors, .foldInFactorPenalties,
            .userRatedItemStarts, .userRatedItems, .userRankedItems, .watchWeightItems,
            .watchWeights, .rankingBlends, .genreOffsets, .moreWatchWeightItems, .moreWatchWeights, .newPersonWatchTables,
        ]
        for kind in ModelFileSectionKind.allCases {
            let entry = entry(kind)
            let offset = original.load(UInt64.self, at: entry + Entry.offset)
            let length = original.load(UInt64.self, at: entry + Entry.length)
            let elementSize = UInt64(kind.elementSize)
            var mutations: [(String, (inout [UInt8]) -> Void)] = [
                ("offset past the end", { $0.store(fileSize + 64, at: entry + Entry.offset) }),
                ("huge offset", { $0.store(UInt64.max & ~63, at: entry + Entry.offset) }),
                ("huge length", { $0.store(UInt64.max, at: entry + Entry.length) }),
                ("length past the end", { $0.store(fileSize - offset + elementSize, at: entry + Entry.length) }),
                ("misaligned offset", { $0.store(offset + 4, at: entry + Entry.offset) }),
                ("offset inside the header", { $0.store(UInt64(0), at: entry + Entry.offset) }),
                ("zero element size", { $0.store(UInt32(0), at: entry + Entry.elementSize) }),
                ("wrong element size", { $0.store(UInt32(kind.elementSize == 4 ? 8 : 4), at: entry + Entry.elementSize) }),
                (
                    "duplicate kind",
                    {
                        $0.store(
                            kind == .movieIDs ? ModelFileSectionKind.userIDs.rawValue : ModelFileSectionKind.movieIDs.rawValue,
                            at: entry + Entry.kind)
                    }
                ),
            ]
            if fixedCount.contains(kind), length >= elementSize {
                mutations.append(("one element short", { $0.store(length - elementSize, at: entry + Entry.length) }))
            }
            if kind != .movieIDs, length > 0 {
                mutations.append(("overlapping another section", { $0.store(UInt64(start(.movieIDs)), at: entry + Entry.offset) }))
            }
            for (name, mutate) in mutations {
                var corrupt = original
                mutate(&corrupt)
                #expect(try openError(sealed(corrupt))?.code == .corruptSection, "\(kind): \(name)")
            }
        }
    }

    @Test func rejectsSectionsTheHeaderSizesDoNotMatch() throws {
        let mutations: [(String, (inout [UInt8]) -> Void)] = [
            ("one more item", { $0.store($0.load(UInt32.self, at: Header.itemCount) + 1, at: Header.itemCount) }),
            ("one user less", { $0.store($0.load(UInt32.self, at: Header.userCount) - 1, at: Header.userCount) }),
            ("one more neighbour", { $0.store($0.load(UInt32.self, at: Header.neighboursPerItem) + 1, at: Header.neighboursPerItem) }),
            ("a wider stride", { $0.store(UInt32(32), at: Header.factorStride) }),
            ("a table without the required sections", { $0.store(UInt32(3), at: Header.sectionCount) }),
        ]
        for (name, mutate) in mutations {
            var corrupt = original
            mutate(&corrupt)
            #expect(try openError(sealed(corrupt))?.code == .corruptSection, "\(name)")
        }
    }

    @Test func rejectsImpossibleHeaders() throws {
        let mutations: [(String, ModelFileError.Code, (inout [UInt8]) -> Void)] = [
            ("magic", .badMagic, { $0[7] = UInt8(ascii: "M") }),
            ("version", .unsupportedVersion, { $0.store(UInt32(2), at: Header.formatVersion) }),
            ("big-endian", .wrongByteOrder, { $0.store(ModelFileLayout.byteOrderMark.byteSwapped, at: Header.byteOrderMark) }),
            ("foreign byte-order mark", .corruptHeader, { $0.store(UInt32(0xDEAD_BEEF), at: Header.byteOrderMark) }),
            ("declared size too small", .corruptHeader, { $0.store(UInt64($0.count - 1), at: Header.fileSize) }),
            ("trailing bytes", .corruptHeader, { $0 += [UInt8](repeating: 0, count: 64) }),
            ("header size", .corruptHeader, { $0.store(UInt32(64), at: Header.headerSize) }),
            ("section entry size", .corruptHeader, { $0.store(UInt32(48), at: Header.sectionEntrySize) }),
            ("section table offset", .corruptHeader, { $0.store(UInt32(256), at: Header.sectionTableOffset) }),
            ("section table past the end", .corruptHeader, { $0.store(UInt32(1_000_000), at: Header.sectionCount) }),
            ("stride not a multiple of 16", .corruptHeader, { $0.store(UInt32(8), at: Header.factorStride) }),
            ("more factors than the stride", .corruptHeader, { $0.store(UInt32(17), at: Header.factorCount) }),
            ("item count beyond 32-bit indices", .corruptHeader, { $0.store(UInt32.max, at: Header.itemCount) }),
        ]
        for (name, code, mutate) in mutations {
            var corrupt = original
            mutate(&corrupt)
            #expect(try openError(sealed(corrupt))?.code == code, "\(name)")
        }
    }

    @Test func rejectsContentsThatBreakTheInvariants() throws {
        let movieIDs = start(.movieIDs), userIDs = start(.userIDs), titleOffsets = start(.titleOffsets)
        let titleKeys = start(.titleKeyEntries), neighbours = start(.neighbourItems), counts = start(.itemRatingCounts)
        let trigrams = start(.titleTrigrams), postingStarts = start(.titleTrigramPostingStarts), postings = start(.titleTrigramPostings)
        let ratedStarts = start(.userRatedItemStarts), blends = start(.rankingBlends), genreOffsets = start(.genreOffsets)
        let watchTables = start(.newPersonWatchTables)
        let mutations: [(String, (inout [UInt8]) -> Void)] = [
            ("movie ids descending", { $0.store($0.load(Int32.self, at: movieIDs + 4), at: movieIDs) }),
            ("user ids repeated", { $0.store($0.load(Int32.self, at: userIDs), at: userIDs + 4) }),
            ("title offset past the bytes", { $0.store(UInt32(100_000), at: titleOffsets + 4) }),
            ("title offsets not from zero", { $0.store(UInt32(1), at: titleOffsets) }),
            ("title key past the key bytes", { $0.store(UInt32.max, at: titleKeys) }),
            ("title key for a missing item", { $0.store(Int32(7), at: titleKeys + 8) }),
            ("title key for a negative item", { $0.store(Int32(-1), at: titleKeys + 8) }),
            ("trigrams not ascending", { $0.store($0.load(UInt32.self, at: trigrams + 4), at: trigrams) }),
            ("trigram offsets not from zero", { $0.store(UInt32(1), at: postingStarts) }),
            ("trigram offsets descending", { $0.store(UInt32.max, at: postingStarts + 4) }),
            ("trigram posting past the entries", { $0.store(UInt32(1_000), at: postings) }),
            ("neighbour out of range", { $0.store(Int32(7), at: neighbours) }),
            ("neighbour below -1", { $0.store(Int32(-2), at: neighbours + 4) }),
            ("negative rating count", { $0.store(Int32(-1), at: counts) }),
            ("rated-item offsets not from zero", { $0.store(UInt32(1), at: ratedStarts) }),
            ("rated-item offsets descending", { $0.store(UInt32.max, at: ratedStarts + 4) }),
            (
                "blend not finite",
                { $0.withUnsafeMutableBytes { $0.storeBytes(of: Float.infinity, toByteOffset: blends + 4, as: Float.self) } }
            ),
            ("ranking model incomplete", { $0.store(UInt32(201), at: self.entry(.watchWeights) + Entry.kind) }),
            ("extra watch tables incomplete", { $0.store(UInt32(204), at: self.entry(.moreWatchWeights) + Entry.kind) }),
            ("a group's watch table missing", { $0.store(UInt32(2), at: watchTables + 4) }),
            (
                "extra watch tables without a ranking model",
                { corrupt in
                    for kind in ModelFileSectionKind.rankingModel {
                        corrupt.store(UInt32(210 + kind.rawValue), at: self.entry(kind) + Entry.kind)
                    }
                }
            ),
            ("genre offsets not from zero", { $0.store(UInt32(1), at: genreOffsets) }),
            ("genre offset past the bytes", { $0.store(UInt32(100_000), at: genreOffsets + 4) }),
            ("genre offsets not ending at the bytes", { $0.store($0.load(UInt32.self, at: genreOffsets + 28) + 1, at: genreOffsets + 28) }),
            ("genres without their bytes", { $0.store(UInt32(202), at: self.entry(.genreBytes) + Entry.kind) }),
            ("genre bytes without their offsets", { $0.store(UInt32(203), at: self.entry(.genreOffsets) + Entry.kind) }),
        ]
        for (name, mutate) in mutations {
            var corrupt = original
            mutate(&corrupt)
            #expect(try openError(sealed(corrupt))?.code == .corruptSection, "\(name)")
        }
    }

    @Test func reportsUndecodableMetadataWhenAskedForIt() throws {
        var corrupt = original
        corrupt[start(.metadataJSON)] = UInt8(ascii: "x")
        let path = folder.file("model-1.recmodel")
        try sealed(corrupt).write(to: path)
        let model = try LoadedModel.open(path: path, verifyContents: true)
        let error = #expect(throws: ModelFileError.self) { try model.metadata() }
        #expect(error?.code == .corruptSection)
    }

    /// The ranking sections' millions of entries are checked where they are read, not on open:
    /// a damaged entry shortens a list or drops a weight, and never reads outside the map.
    @Test func damagedRankingEntriesAreSkippedWhereTheyAreRead() throws {
        let rankedItems = start(.userRankedItems), watchItems = start(.watchWeightItems), ratedItems = start(.userRatedItems)
        var corrupt = original
        corrupt.store(Int32(70_000), at: rankedItems + 4)
        corrupt.store(Int32(-9), at: watchItems)
        corrupt.store(Int32(1_000_000), at: ratedItems)
        let path = folder.file("model-1.recmodel")
        try sealed(corrupt).write(to: path)
        let model = try LoadedModel.open(path: path, verifyContents: true)
        let ranking = try #require(model.ranking)
        #expect(ranking.rankedItems(ofUser: 0).count == 1, "the list ends at the damaged entry")
        #expect(ranking.ratedItems(ofUser: 0).allSatisfy { $0 < model.itemCount })
        let engine = RecommendationEngine(model: model)
        let ranked = try engine.rankedItems(ratings: [(.id(model.movieIDs[0]), 5), (.id(model.movieIDs[1]), 3)], count: 3)
        #expect(ranked.allSatisfy { $0.item < model.itemCount })
        #expect(
            try engine.rankedItems(userID: model.userIDs[0], count: 3).map(\.item) == Array(ranking.rankedItems(ofUser: 0).map { Int($0) }))
    }

    @Test func opensAFileWithoutARankingModel() throws {
        var bare = artifact
        bare.ranking = nil
        let path = folder.file("model-1.recmodel")
        try ModelFileWriter.encode(bare).write(to: path)
        let model = try LoadedModel.open(path: path, verifyContents: true)
        #expect(model.ranking == nil)
        #expect(try model.artifact() == bare)
    }

    @Test func skipsSectionKindsItDoesNotKnow() throws {
        var extended = original
        extended.store(UInt32(200), at: entry(.itemImplicitFactors) + Entry.kind)
        let path = folder.file("model-1.recmodel")
        try sealed(extended).write(to: path)
        let model = try LoadedModel.open(path: path, verifyContents: true)
        #expect(model.itemImplicitFactors == nil)
        var expected = artifact
        expected.itemImplicitFactors = nil
        #expect(try model.artifact() == expected)
    }

    /// A file without sections 28 to 30 (written before groups had their own tables, or read
    /// by a reader that skips them) serves every group from the first table.
    @Test func servesEveryGroupFromTheFirstWatchTableWithoutTheOthers() throws {
        var older = original
        for kind in ModelFileSectionKind.moreWatchTables { older.store(UInt32(220 + kind.rawValue), at: entry(kind) + Entry.kind) }
        let path = folder.file("model-1.recmodel")
        try sealed(older).write(to: path)
        let model = try LoadedModel.open(path: path, verifyContents: true)
        let ranking = try #require(model.ranking)
        #expect(ranking.watchTables.count == 1)
        #expect(ranking.watchTableOfGroup == [0, 0, 0])
        var expected = artifact
        expected.ranking?.watchWeights = NewPersonWatchWeights(single: try #require(artifact.ranking).watchWeights.tables[0])
        #expect(try model.artifact() == expected)
    }

    @Test func rejectsAFoldInPenaltyThatIsNotPositive() throws {
        for value: Float in [0, -1, .nan, .infinity] {
            var corrupt = original
            corrupt.withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: start(.foldInFactorPenalties) + 4, as: Float.self) }
            #expect(try openError(sealed(corrupt))?.code == .corruptSection, "penalty \(value)")
        }
    }

    @Test func rejectsRandomGarbage() throws {
        var random = SeededRandomNumberGenerator(seed: 99)
        for round in 0..<300 {
            let size = Int.random(in: 0...(2 * original.count), using: &random)
            var garbage = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 3 == 1 { garbage.replaceSubrange(0..<min(8, size), with: ModelFileLayout.magic.prefix(size)) }
            if round % 3 == 2 { garbage.replaceSubrange(0..<min(1024, size), with: original.prefix(min(1024, size))) }
            #expect(try openError(garbage) != nil, "round \(round), \(size) bytes")
        }
    }

    @Test func reportsAMissingFileOrAFolder() {
        let missing = folder.file("model-9.recmodel")
        let missingError = #expect(throws: ModelFileError.self) { try LoadedModel.open(path: missing) }
        #expect(missingError?.code == .notFound)
        #expect(missingError?.description == "\(missing): no such file")

        let folderError = #expect(throws: ModelFileError.self) { try LoadedModel.open(path: folder.path) }
        #expect(folderError?.code == .ioFailure)
    }
}
