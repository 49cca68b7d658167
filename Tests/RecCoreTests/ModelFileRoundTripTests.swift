import Foundation
import Testing
import RecCore

/// Writing an artifact and opening the file gives back the same model, through zero-copy views.
struct ModelFileRoundTripTests {
    private func writeAndOpen(
        _ artifact: ModelArtifact, in folder: TemporaryDirectory,
        name: String = "model-1.recmodel"
    ) throws -> LoadedModel {
        let path = folder.file(name)
        try ModelFileWriter.write(artifact, toPath: path)
        return try LoadedModel.open(path: path, verifyContents: true)
    }

    @Test(arguments: [true, false])
    func reopensAnEqualArtifact(hasImplicitFactors: Bool) throws {
        let folder = TemporaryDirectory()
        // The optional sections: implicit factors and the Bayesian fold-in penalties.
        let artifact = ModelFileFixtures.artifact(
            seed: 42, hasImplicitFactors: hasImplicitFactors,
            hasFoldInFactorPenalties: hasImplicitFactors)
        let model = try writeAndOpen(artifact, in: folder)
        #expect(try model.artifact() == artifact)
        #expect((model.itemImplicitFactors != nil) == hasImplicitFactors)
        #expect(model.foldInFactorPenalties.map(Array.init) == artifact.foldInFactorPenalties)
        #expect(folder.names() == ["model-1.recmodel"])
    }

    @Test(arguments: [
        (0, 0, 0), (1, 1, 16), (16, 0, 16), (17, 3, 32), (5, 7, 16),
    ])
    func roundTripsOtherShapes(factorCount: Int, neighboursPerItem: Int, expectedStride: Int) throws {
        let folder = TemporaryDirectory()
        for (itemCount, userCount) in [(0, 0), (1, 0), (3, 1), (40, 9)] {
            let artifact = ModelFileFixtures.artifact(
                seed: UInt64(itemCount * 100 + factorCount), itemCount: itemCount,
                userCount: userCount, factorCount: factorCount,
                neighboursPerItem: neighboursPerItem)
            let model = try writeAndOpen(artifact, in: folder)
            #expect(model.factorStride == expectedStride)
            #expect(try model.artifact() == artifact)
        }
    }

    @Test func viewsHoldTheArtifactsValues() throws {
        let folder = TemporaryDirectory()
        let artifact = ModelFileFixtures.artifact(seed: 3)
        let model = try writeAndOpen(artifact, in: folder)

        #expect(model.globalMean == artifact.globalMean)
        #expect(model.foldIn == artifact.foldIn)
        #expect(model.factorCount == 5)
        #expect(model.factorStride == 16)
        #expect(model.itemCount == 7 && model.userCount == 5)
        #expect(model.neighboursPerItem == 3)
        #expect(Array(model.movieIDs) == artifact.movieIDs)
        #expect(Array(model.userIDs) == artifact.userIDs)
        #expect(Array(model.itemBiases) == artifact.itemBiases)
        #expect(Array(model.userBiases) == artifact.userBiases)
        #expect(Array(model.itemRatingCounts) == artifact.itemRatingCounts)
        #expect(model.itemFactors.count == 7 * 16)
        #expect(model.userFactors.count == 5 * 16)
        #expect(model.titles.count == 7)
        #expect(model.titles[0] == "Misérables, Les (1995)")
        #expect(model.titles[3] == "誰も知らない (2004)")
        #expect(model.titles[5] == "")
        #expect(Array(model.titleIndex.entries) == artifact.titleIndex.entries)
        #expect(Array(model.titleIndex.keyBytes) == artifact.titleIndex.keyBytes)
        #expect(try model.metadata() == artifact.metadata)
        #expect(model.generation == 1)
        #expect(model.fileSize == (try FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int))

        for item in 0..<7 {
            #expect(Array(model.itemFactorRow(item)) == Array(artifact.itemFactors[(item * 5)..<(item * 5 + 5)]))
            #expect(model.itemImplicitFactorRow(item).map(Array.init) == Array(artifact.itemImplicitFactors![(item * 5)..<(item * 5 + 5)]))
            #expect(model.itemFactors[(item * 16 + 5)..<(item * 16 + 16)].allSatisfy { $0 == 0 }, "row padding is zero")
            let neighbours = model.neighbours(ofItem: item)
            #expect(Array(neighbours.items) == Array(artifact.neighbours.items[(item * 3)..<(item * 3 + 3)]))
            #expect(Array(neighbours.similarities) == Array(artifact.neighbours.similarities[(item * 3)..<(item * 3 + 3)]))
        }
        for user in 0..<5 {
            #expect(Array(model.userFactorRow(user)) == Array(artifact.userFactors[(user * 5)..<(user * 5 + 5)]))
        }
    }

    @Test func factorRowsAreCacheLineAligned() throws {
        let folder = TemporaryDirectory()
        let model = try writeAndOpen(ModelFileFixtures.artifact(seed: 9, factorCount: 21), in: folder)
        #expect(model.factorStride == 32)
        for item in 0..<model.itemCount {
            #expect(Int(bitPattern: model.itemFactorRow(item).baseAddress) % 64 == 0)
            #expect(Int(bitPattern: model.itemImplicitFactorRow(item)?.baseAddress) % 64 == 0)
        }
        for user in 0..<model.userCount {
            #expect(Int(bitPattern: model.userFactorRow(user).baseAddress) % 64 == 0)
        }
    }

    @Test func findsItemsAndUsersByID() throws {
        let folder = TemporaryDirectory()
        let artifact = ModelFileFixtures.artifact(seed: 5, itemCount: 40, userCount: 25)
        let model = try writeAndOpen(artifact, in: folder)
        for (index, id) in artifact.movieIDs.enumerated() {
            #expect(model.itemIndex(movieID: id) == index)
            #expect(model.itemIndex(movieID: id + 1) == (artifact.movieIDs.contains(id + 1) ? index + 1 : nil))
        }
        for (index, id) in artifact.userIDs.enumerated() {
            #expect(model.userIndex(userID: id) == index)
        }
        #expect(model.itemIndex(movieID: 0) == nil)
        #expect(model.itemIndex(movieID: .min) == nil)
        #expect(model.itemIndex(movieID: .max) == nil)
        #expect(model.userIndex(userID: artifact.userIDs.last! + 1) == nil)
    }

    @Test func storesMetadataAsSortedJSON() throws {
        let folder = TemporaryDirectory()
        let model = try writeAndOpen(ModelFileFixtures.artifact(seed: 2), in: folder)
        let json = String(decoding: model.metadataJSON, as: UTF8.self)
        #expect(json.hasPrefix("{\"algorithm\":\"svdpp\",\"dataset\":\"dataset/ratings_train.dat\",\"hyperparameters\":{\"factors\":5"))
        #expect(json.contains("\"trained_at\":\"2024-05-06T07:08:09Z\""))
    }

    @Test func encodingIsDeterministic() throws {
        let artifact = ModelFileFixtures.artifact(seed: 8)
        #expect(try ModelFileWriter.encode(artifact) == ModelFileWriter.encode(artifact))
    }

    @Test func takesTheGenerationFromTheFileNameUnlessGiven() throws {
        let folder = TemporaryDirectory()
        let artifact = ModelFileFixtures.artifact(seed: 4)
        #expect(try writeAndOpen(artifact, in: folder, name: "model-12.recmodel").generation == 12)
        #expect(try writeAndOpen(artifact, in: folder, name: "copy.recmodel").generation == 0)
        #expect(try LoadedModel.open(path: folder.file("copy.recmodel"), generation: 5).generation == 5)
    }

    @Test func titleKeyEntriesHaveTheDocumentedLayout() {
        #expect(MemoryLayout<TitleKeyEntry>.size == 16)
        #expect(MemoryLayout<TitleKeyEntry>.stride == 16)
        #expect(MemoryLayout<TitleKeyEntry>.offset(of: \.keyOffset) == 0)
        #expect(MemoryLayout<TitleKeyEntry>.offset(of: \.keyLength) == 4)
        #expect(MemoryLayout<TitleKeyEntry>.offset(of: \.item) == 8)
        #expect(MemoryLayout<TitleKeyEntry>.offset(of: \.kind) == 12)
    }

    @Test func startsEverySectionOnACacheLineWithZeroPadding() throws {
        let file = try ModelFileWriter.encode(ModelFileFixtures.artifact(seed: 6))
        let sectionCount = Int(file.load(UInt32.self, at: ModelFileLayout.HeaderField.sectionCount))
        #expect(sectionCount == ModelFileSectionKind.allCases.count)
        var used = [Bool](repeating: false, count: file.count)
        for index in 0..<ModelFileLayout.sectionEntryOffset(sectionCount) { used[index] = true }
        for index in 0..<sectionCount {
            let entry = ModelFileLayout.sectionEntryOffset(index)
            let offset = Int(file.load(UInt64.self, at: entry + ModelFileLayout.SectionEntryField.offset))
            let length = Int(file.load(UInt64.self, at: entry + ModelFileLayout.SectionEntryField.length))
            #expect(offset % ModelFileLayout.sectionAlignment == 0)
            for byte in offset..<(offset + length) { used[byte] = true }
        }
        #expect(zip(file, used).allSatisfy { byte, isUsed in isUsed || byte == 0 }, "bytes between sections are zero")
    }
}
