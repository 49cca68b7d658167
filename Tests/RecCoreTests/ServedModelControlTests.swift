import Foundation
import Testing
@testable import RecCore
@testable import RecAPI
@testable import RecModelFile
@testable import RecSystem

/// The shared control file, reloads, and workers following them: `ServedModelControl` and
/// `ServedModelHolder` over a real data folder.
struct ServedModelControlTests {
    let fixture = ServingFixture()

    @Test func theFirstReloadCreatesTheControlFileFromCurrent() throws {
        try fixture.publish()
        try fixture.publish()
        #expect(!FileManager.default.fileExists(atPath: fixture.controlFilePath))
        let outcome = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(outcome.generation == 2)
        #expect(outcome.previousGeneration == 2, "a new control file starts out serving CURRENT")
        #expect(outcome.durabilityWarning == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.controlFilePath)
        #expect(attributes[.size] as? Int == ServedModelControlFile.byteCount)
    }

    @Test func aReloadReachesEveryWorkerButPublishingAloneDoesNot() throws {
        try fixture.publish()
        let first = fixture.holder(), second = fixture.holder()
        #expect(first.snapshot().generation == 1 && second.snapshot().generation == 1)
        #expect(FileManager.default.fileExists(atPath: fixture.controlFilePath), "the first worker creates the control file")
        try fixture.publish()
        #expect(first.snapshot().generation == 1, "publishing moves CURRENT, not what is served")
        let outcome = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(outcome.generation == 2 && outcome.previousGeneration == 1 && outcome.model.generation == 2)
        #expect(first.snapshot().generation == 2 && second.snapshot().generation == 2)
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == 2)
        let again = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(again.generation == 2 && again.previousGeneration == 2)
        #expect(again.changeCount == outcome.changeCount + 1)
    }

    @Test func aCorruptOrMissingGenerationIsRefusedAndNothingChanges() throws {
        try fixture.publish()
        let holder = fixture.holder()
        try fixture.publish()
        try fixture.corruptFirstItemFactor(generation: 2)
        let corrupt = #expect(throws: ReloadError.self) { try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory) }
        #expect(corrupt?.code == .invalidModel)
        #expect(corrupt?.modelFileError?.code == .checksumMismatch)
        try FileManager.default.removeItem(atPath: fixture.store.path(forGeneration: 2))
        let missing = #expect(throws: ReloadError.self) { try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory) }
        #expect(missing?.code == .invalidModel)
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == 1)
        #expect(holder.snapshot().generation == 1)
    }

    @Test func withNothingPublishedNothingIsServedUntilAReload() throws {
        let holder = fixture.holder()
        #expect(holder.snapshot().engine == nil)
        #expect(holder.snapshot().problem?.contains("names no generation") == true)
        let error = #expect(throws: ReloadError.self) { try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory) }
        #expect(error?.code == .noModel)
        try fixture.publish()
        #expect(holder.snapshot().engine == nil, "training alone does not start serving")
        _ = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(holder.snapshot().generation == 1)
    }

    @Test func aWorkerKeepsItsModelWhenTheNewFileCannotBeOpenedAndRetries() throws {
        try fixture.publish()
        let holder = fixture.holder()
        #expect(holder.snapshot().generation == 1)
        // Name a generation whose file is garbage, as a reload racing a disk fault could.
        try Array("not a model".utf8).write(to: fixture.store.path(forGeneration: 7))
        let control = try ServedModelControlFile.attach(store: fixture.store)
        control.store(generation: 7)
        let stale = holder.snapshot()
        #expect(stale.generation == 1)
        #expect(stale.problem?.contains("cannot open generation 7") == true)
        #expect(stale.problem?.contains("still serving generation 1") == true)

        try ModelFileWriter.encode(TrainedModelFixture.load().result.artifact).write(to: fixture.store.path(forGeneration: 7))
        let repaired = holder.snapshot()
        #expect(repaired.generation == 7, "the failed generation is retried")
        #expect(repaired.problem == nil)
    }

    @Test func aRemovedControlFileIsRecreatedAndReloadsReachTheWorkerAgain() throws {
        try fixture.publish()
        let holder = fixture.holder()
        #expect(holder.snapshot().generation == 1)
        try FileManager.default.removeItem(atPath: fixture.controlFilePath)
        try fixture.publish()
        #expect(holder.snapshot().generation == 2, "a recreated control file starts out serving CURRENT")
        #expect(FileManager.default.fileExists(atPath: fixture.controlFilePath))
        try fixture.publish()
        _ = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(holder.snapshot().generation == 3)
    }

    @Test func aGarbageControlFileIsRepairedInPlace() throws {
        try fixture.publish()
        try SystemCalls.makeDirectories(fixture.dataDirectory.modelDirectory)
        try [UInt8](repeating: 0xAB, count: 100).write(to: fixture.controlFilePath)
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == nil)
        let inode = try SystemCalls.fileStatus(fixture.controlFilePath).inode
        #expect(fixture.holder().snapshot().generation == 1)
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == 1)
        #expect(try SystemCalls.fileStatus(fixture.controlFilePath).inode == inode, "updated in place, never replaced")
        #expect(try SystemCalls.fileStatus(fixture.controlFilePath).size == ServedModelControlFile.byteCount)
    }

    @Test func pruningNeverRemovesTheServedGeneration() throws {
        try fixture.publish()
        _ = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        for _ in 0..<5 { try fixture.publish() }
        #expect(try fixture.store.generations() == [1, 4, 5, 6])
        _ = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        try fixture.store.prune()
        #expect(try fixture.store.generations() == [4, 5, 6])
    }

    @Test(arguments: [("open", EACCES), ("mmap", ENOMEM), ("flock", EIO), ("ftruncate", ENOSPC)])
    func aReloadWhoseControlFileCannotBeWrittenChangesNothing(call: String, errorNumber: Int32) throws {
        try fixture.publish()
        try fixture.publish()
        if call != "ftruncate" { try ServedModelControlFile.attach(store: fixture.store).store(generation: 1) }
        let before = try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory)
        let error = #expect(throws: ReloadError.self) {
            try SystemCallFaults.$active.withValue([call: errorNumber]) {
                try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
            }
        }
        #expect(error?.code == .controlFileFailure)
        #expect(error?.modelFileError?.systemCallError?.call == call)
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == before)
    }

    @Test func aReloadThatCannotSyncIsInEffectWithAWarning() throws {
        try fixture.publish()
        let holder = fixture.holder()
        try fixture.publish()
        let outcome = try SystemCallFaults.$active.withValue(["msync": EIO]) {
            try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        }
        #expect(outcome.generation == 2)
        #expect(outcome.durabilityWarning?.contains("could not be synced") == true)
        #expect(holder.snapshot().generation == 2)
    }

    @Test func aWorkerWithoutAControlFileServesCurrent() throws {
        try fixture.publish()
        let holder = SystemCallFaults.$active.withValue(["ftruncate": ENOSPC]) {
            ServedModelHolder(
                dataDirectory: fixture.dataDirectory, logger: TrainedModelFixture.quietLogger, controlCheckInterval: .seconds(3600))
        }
        #expect(holder.snapshot().generation == 1)
        let broken = SystemCallFaults.$active.withValue(["open": EACCES]) {
            ServedModelHolder(
                dataDirectory: fixture.dataDirectory, logger: TrainedModelFixture.quietLogger, controlCheckInterval: .seconds(3600))
        }
        let snapshot = broken.snapshot()
        #expect(snapshot.engine == nil)
        #expect(snapshot.problem?.contains("cannot be mapped") == true)
    }

}
