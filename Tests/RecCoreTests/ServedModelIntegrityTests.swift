import Foundation
import Testing
@testable import RecCore
@testable import RecAPI
@testable import RecModelFile
@testable import RecSystem

/// A served generation whose file is changed in place after it was validated: truncated,
/// overwritten, filled with NaNs or replaced under the same generation number. Workers never
/// crash and never answer from bytes that were not validated: they refuse with 503
/// `invalid_model`, and serve again once the file is good.
struct ServedModelIntegrityTests {
    let fixture = ServingFixture()

    private var modelPath: String { fixture.store.path(forGeneration: 1) }

    /// Overwrites `bytes` at `offset` of the served file, in place (same inode).
    private func overwrite(_ bytes: [UInt8], at offset: Int) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: modelPath))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
    }

    private func truncate(to size: Int) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: modelPath))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(size))
    }

    /// Where the section `kind` starts in the served file.
    private func sectionStart(_ kind: ModelFileSectionKind) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelPath)))
        let count = Int(bytes.load(UInt32.self, at: ModelFileLayout.HeaderField.sectionCount))
        let entry = try #require(
            (0..<count).map(ModelFileLayout.sectionEntryOffset).first {
                bytes.load(UInt32.self, at: $0) == kind.rawValue
            })
        return Int(bytes.load(UInt64.self, at: entry + ModelFileLayout.SectionEntryField.offset))
    }

    private let predict = API.post("/api/predict", #"{"movies":[["Toy Story (1995)"],[5]],"top":5}"#)
    private let similar = API.get("/api/similar", query: "movie_name=Toy%20Story&n=5")

    @Test func aModelFileWrittenInPlaceIsNoticedBeforeTheNextRequest() throws {
        try fixture.publish()
        let model = try fixture.store.open(generation: 1, verifyContents: true)
        #expect(model.isUnchangedOnDisk)
        try overwrite([0xFF, 0xFF, 0xFF, 0x7F], at: try sectionStart(.neighbourItems))
        #expect(!model.isUnchangedOnDisk)
    }

    @Test(arguments: ["neighbour items", "NaN factors", "truncation"])
    func aServedFileChangedInPlaceIsRefusedWith503UntilItIsRestored(_ damage: String) throws {
        try fixture.publish()
        let good = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        let service = fixture.service()
        #expect(service.respond(to: predict).status == 200)
        #expect(service.respond(to: similar).status == 200)

        switch damage {
        case "neighbour items":
            try overwrite(Array(repeating: [0xFF, 0xFF, 0xFF, 0x7F], count: 100).flatMap { $0 }, at: try sectionStart(.neighbourItems))
        case "NaN factors":
            try overwrite(Array(repeating: [0xFF, 0xFF, 0xFF, 0x7F], count: 100).flatMap { $0 }, at: try sectionStart(.itemFactors))
        default:
            try truncate(to: good.count / 3)
        }
        for request in [predict, similar] {
            let refused = service.respond(to: request)
            #expect(refused.status == 503, "\(damage): \(refused.text)")
            #expect(refused.errorCode == "invalid_model", "\(damage)")
        }
        #expect(service.respond(to: API.get("/api/health")).status == 503)
        #expect(service.respond(to: API.get("/api/log")).status == 200, "the log still answers")

        // Restored in place: the next retry validates it again and serves it.
        try good.write(to: URL(fileURLWithPath: modelPath))
        let restored = service.respond(to: predict)
        #expect(restored.status == 200, "\(damage): \(restored.text)")
        #expect(service.respond(to: similar).status == 200)
    }

    @Test func aFileDamagedInPlaceIsNotServedByANewWorkerEither() throws {
        try fixture.publish()
        #expect(fixture.service().respond(to: predict).status == 200)
        try overwrite(Array(repeating: [0xFF, 0xFF, 0xFF, 0x7F], count: 100).flatMap { $0 }, at: try sectionStart(.itemFactors))
        let fresh = fixture.service()
        let answer = fresh.respond(to: predict)
        #expect(answer.status == 503, "a worker started after the damage validates the whole file: \(answer.text)")
    }

    @Test func aReloadRemapsAFileReplacedUnderTheSameGeneration() throws {
        try fixture.publish()
        let holder = fixture.holder()
        let before = try #require(holder.snapshot().engine?.model)
        // A good copy moved over the served file: a new inode under the same generation.
        let copy = fixture.folder.file("copy.recmodel")
        try FileManager.default.copyItem(atPath: modelPath, toPath: copy)
        #expect(rename(copy, modelPath) == 0)
        let outcome = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(outcome.generation == 1 && outcome.previousGeneration == 1)
        let after = try #require(holder.snapshot().engine?.model)
        #expect(after !== before, "the worker mapped the new file")
        #expect(after.fileIdentity == (try SystemCalls.fileStatus(modelPath).identity))
        holder.adopt(outcome)
        #expect(holder.snapshot().engine?.model.fileIdentity == outcome.model.fileIdentity)
    }

    @Test func nonFiniteFloatsAreRefusedOnOpenEvenWithAGoodChecksum() throws {
        var bytes = try ModelFileWriter.encode(ModelFileFixtures.artifact(seed: 5))
        let path = fixture.folder.file("model-1.recmodel")
        try bytes.write(to: path)
        let start = try { () throws -> Int in
            let count = Int(bytes.load(UInt32.self, at: ModelFileLayout.HeaderField.sectionCount))
            let entry = try #require(
                (0..<count).map(ModelFileLayout.sectionEntryOffset).first {
                    bytes.load(UInt32.self, at: $0) == ModelFileSectionKind.itemFactors.rawValue
                })
            return Int(bytes.load(UInt64.self, at: entry + ModelFileLayout.SectionEntryField.offset))
        }()
        // Huge but finite factors (found by fuzzing) would overflow a dot product to infinity.
        for (offset, value) in [(0, Float.nan), (37, Float.infinity), (3, -Float.infinity), (5, Float(1.7e38)), (9, Float(-2e4))] {
            var corrupt = bytes
            corrupt.withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: start + offset * 4, as: Float.self) }
            ModelFileChecksum.seal(&corrupt)
            try corrupt.write(to: path)
            #expect(throws: Never.self) { _ = try LoadedModel.open(path: path) }
            let error = #expect(throws: ModelFileError.self) { _ = try LoadedModel.open(path: path, verifyContents: true) }
            #expect(error?.code == .corruptSection)
            #expect(error?.description.contains("item factors") == true, "\(String(describing: error))")
        }
        ModelFileChecksum.seal(&bytes)
        try bytes.write(to: path)
        #expect(throws: Never.self) { _ = try LoadedModel.open(path: path, verifyContents: true) }
    }
}

/// `MappingFaultGuard`: a read past the end of a mapped file that shrank returns zeros and
/// flags the mapping, instead of killing the process with SIGBUS.
struct MappingFaultGuardTests {
    @Test func aReadPastATruncationIsFlaggedInsteadOfCrashing() throws {
        MappingFaultGuard.install()
        let folder = TemporaryDirectory()
        let path = folder.file("mapped")
        try [UInt8](repeating: 7, count: 64 * 1024).write(to: path)
        let mapping = try MemoryMappedFile(path: path)
        let bytes = mapping.bytes
        let intactBefore = mapping.isUnchanged
        #expect(intactBefore)
        #expect(bytes[40_000] == 7)
        #expect(truncate(path, 100) == 0)
        #expect(bytes[40_000] == 0, "the handler mapped zero pages over the file")
        let intactAfter = mapping.isUnchanged
        #expect(!intactAfter)
    }
}
