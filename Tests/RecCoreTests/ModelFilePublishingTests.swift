import Foundation
import Synchronization
import Testing
import RecCore

/// `ModelStore`: numbering, the `CURRENT` pointer, pruning, failures mid-publish and
/// concurrent publishers.
struct ModelFilePublishingTests {
    let folder = TemporaryDirectory()
    var store: ModelStore { ModelStore(directory: folder.file("data/model")) }

    private func artifact(_ seed: UInt64) -> ModelArtifact { ModelFileFixtures.artifact(seed: seed) }

    private func currentPointer() throws -> String {
        try String(contentsOfFile: store.currentPointerPath, encoding: .utf8)
    }

    private func writeCurrentPointer(_ text: String) throws {
        try Array(text.utf8).write(to: store.currentPointerPath)
    }

    @Test func anEmptyFolderHasNoModelAndSaysHowToTrainOne() throws {
        #expect(try store.currentGeneration() == nil)
        #expect(try store.generations() == [])
        let error = #expect(throws: ModelFileError.self) { try store.openCurrent() }
        #expect(error?.code == .noCurrentModel)
        #expect(error?.description.contains("rec-cli train --dataset=dataset/ratings_train.dat") == true)
    }

    @Test func publishCreatesTheFolderAndMakesTheModelCurrent() throws {
        let publication = try store.publish(artifact(1))
        #expect(publication.generation == 1)
        #expect(publication.path == folder.file("data/model/model-1.recmodel"))
        #expect(publication.byteCount == (try ModelFileWriter.encode(artifact(1))).count)
        #expect(try currentPointer() == "1\n")
        #expect(folder.names(in: "data/model") == [".lock", "CURRENT", "model-1.recmodel"])

        let model = try store.openCurrent(verifyContents: true)
        #expect(model.generation == 1)
        #expect(model.path == publication.path)
        #expect(try model.artifact() == artifact(1))
    }

    @Test func generationsIncreaseAndOnlyTheNewestAreKept() throws {
        var pruned: [[Int]] = []
        for seed in 1...5 {
            let publication = try store.publish(artifact(UInt64(seed)))
            #expect(publication.generation == seed)
            #expect(publication.pruneError == nil)
            pruned.append(publication.prunedGenerations)
            #expect(try store.currentGeneration() == seed)
        }
        #expect(pruned == [[], [], [], [1], [2]])
        #expect(try store.generations() == [3, 4, 5])
        #expect(try store.openCurrent().artifact() == artifact(5))
        #expect(try store.open(generation: 3).artifact() == artifact(3))
    }

    @Test func pruningNeverRemovesTheNewestTheCurrentOrAProtectedGeneration() throws {
        final class ServedGenerations: Sendable { let generations = Mutex<Set<Int>>([]) }
        let served = ServedGenerations()
        let store = ModelStore(
            directory: folder.file("data/model"), retainedGenerationCount: 10,
            protectedGenerations: { served.generations.withLock { $0 } })
        for seed in 1...5 { _ = try store.publish(artifact(UInt64(seed))) }
        #expect(try store.generations() == [1, 2, 3, 4, 5])

        try store.setCurrent(generation: 2)
        served.generations.withLock { $0 = [4] }
        #expect(try store.prune(keeping: 1) == [1, 3])
        #expect(try store.generations() == [2, 4, 5])
        #expect(try store.currentGeneration() == 2)

        served.generations.withLock { $0 = [] }
        #expect(try store.prune(keeping: 0) == [4])
        #expect(try store.generations() == [2, 5])

        let publication = try store.publish(artifact(9))
        #expect(publication.generation == 6, "numbers keep rising past the current generation")
        #expect(try store.generations() == [2, 5, 6])
    }

    @Test func setCurrentRefusesAMissingOrCorruptGeneration() throws {
        _ = try store.publish(artifact(1))
        let missing = #expect(throws: ModelFileError.self) { try store.setCurrent(generation: 2) }
        #expect(missing?.code == .notFound)

        try Array("not a model".utf8).write(to: store.path(forGeneration: 2))
        let corrupt = #expect(throws: ModelFileError.self) { try store.setCurrent(generation: 2) }
        #expect(corrupt?.code == .badMagic)
        #expect(try currentPointer() == "1\n")
    }

    @Test(arguments: [("fsync", EIO), ("rename", EXDEV), ("write", ENOSPC), ("open", EACCES)])
    func aFailedPublishLeavesNoTemporaryFileAndCurrentUnchanged(call: String, errorNumber: Int32) throws {
        _ = try store.publish(artifact(1))
        let namesBefore = folder.names(in: "data/model")

        let error = #expect(throws: ModelFileError.self) {
            try SystemCallFaults.$active.withValue([call: errorNumber]) { try store.publish(artifact(2)) }
        }
        #expect(error?.code == .ioFailure)
        #expect(error?.systemCallError?.call == call)
        #expect(error?.systemCallError?.errorNumber == errorNumber)
        #expect(folder.names(in: "data/model") == namesBefore)
        #expect(try currentPointer() == "1\n")

        #expect(try store.publish(artifact(2)).generation == 2)
        #expect(try currentPointer() == "2\n")
    }

    @Test func aFailedSetCurrentLeavesNoTemporaryFileAndCurrentUnchanged() throws {
        _ = try store.publish(artifact(1))
        _ = try store.publish(artifact(2))
        SystemCallFaults.$active.withValue(["fsync": EIO]) {
            let error = #expect(throws: ModelFileError.self) { try store.setCurrent(generation: 1) }
            #expect(error?.systemCallError?.subject == store.currentPointerPath + ".tmp")
        }
        #expect(folder.names(in: "data/model") == [".lock", "CURRENT", "model-1.recmodel", "model-2.recmodel"])
        #expect(try currentPointer() == "2\n")
    }

    @Test func aPublishWhosePointerSwapFailsRemovesTheNewModel() throws {
        _ = try store.publish(artifact(1))
        // A folder where CURRENT.tmp must go makes only the pointer swap fail.
        try FileManager.default.createDirectory(atPath: store.currentPointerPath + ".tmp", withIntermediateDirectories: false)
        let error = #expect(throws: ModelFileError.self) { try store.publish(artifact(2)) }
        #expect(error?.code == .ioFailure)
        #expect(error?.path == store.currentPointerPath)
        #expect(folder.names(in: "data/model") == [".lock", "CURRENT", "CURRENT.tmp", "model-1.recmodel"])
        #expect(try currentPointer() == "1\n")
    }

    @Test(arguments: ["banana\n", "", "\n", "0\n", "-3\n", "+3\n", "007\n", "3 \n", "3\n\n", "1\n2\n", String(repeating: "9", count: 100)])
    func aGarbageCurrentIsAClearError(_ contents: String) throws {
        _ = try store.publish(artifact(1))
        try writeCurrentPointer(contents)
        let error = #expect(throws: ModelFileError.self) { try store.currentGeneration() }
        #expect(error?.code == .corruptCurrentPointer)
        #expect(error?.description.hasPrefix(store.currentPointerPath + ": holds ") == true)
        #expect(throws: ModelFileError.self) { try store.openCurrent() }
        let pruneError = #expect(throws: ModelFileError.self) { try store.prune() }
        #expect(pruneError?.code == .corruptCurrentPointer)
        #expect(try store.generations() == [1])
    }

    /// A `CURRENT` that someone who can write the folder planted: a symbolic link to a secret
    /// file, a FIFO, a folder. Each is refused at once, and no error quotes what the file holds.
    @Test func aCurrentThatIsNotARegularFileIsRefusedWithoutFollowingOrQuotingIt() throws {
        _ = try store.publish(artifact(1))
        let secret = folder.file("secret")
        try Array("root:$6$saltsaltsalt$hash:19000:0:99999:7:::\n".utf8).write(to: secret)
        let path = store.currentPointerPath
        for plant in ["symlink", "symlink to a good pointer", "fifo", "folder"] {
            try? FileManager.default.removeItem(atPath: path)
            switch plant {
            case "symlink": try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: secret)
            case "symlink to a good pointer":
                try Array("1\n".utf8).write(to: folder.file("elsewhere"))
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: folder.file("elsewhere"))
            case "fifo": #expect(mkfifo(path, 0o644) == 0)
            default: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            }
            let error = #expect(throws: ModelFileError.self, "\(plant)") { try store.currentGeneration() }
            #expect(error?.code == .corruptCurrentPointer || plant == "folder", "\(plant): \(String(describing: error))")
            #expect(
                error.map { !$0.description.contains("root") && !$0.description.contains("salt") } == true,
                "\(plant): \(String(describing: error))")
        }
        // Garbage is described by its length, never quoted.
        try? FileManager.default.removeItem(atPath: path)
        try writeCurrentPointer("hunter2-password\n")
        let garbage = #expect(throws: ModelFileError.self) { try store.currentGeneration() }
        #expect(garbage.map { !$0.description.contains("hunter2") } == true)
    }

    @Test func aModelFileThatIsASymbolicLinkOrAFIFOIsRefused() throws {
        _ = try store.publish(artifact(1))
        let modelPath = store.path(forGeneration: 1)
        try FileManager.default.moveItem(atPath: modelPath, toPath: folder.file("moved.recmodel"))
        try FileManager.default.createSymbolicLink(atPath: modelPath, withDestinationPath: folder.file("moved.recmodel"))
        #expect(throws: ModelFileError.self) { try store.open(generation: 1) }
        try FileManager.default.removeItem(atPath: modelPath)
        #expect(mkfifo(modelPath, 0o644) == 0)
        #expect(throws: ModelFileError.self) { try store.open(generation: 1) }
    }

    @Test func aCurrentWithoutNewlineIsAccepted() throws {
        _ = try store.publish(artifact(1))
        try writeCurrentPointer("1")
        #expect(try store.currentGeneration() == 1)
    }

    @Test func publishingRepairsAGarbageCurrent() throws {
        _ = try store.publish(artifact(1))
        try writeCurrentPointer("garbage")
        #expect(try store.publish(artifact(2)).generation == 2)
        #expect(try store.currentGeneration() == 2)
    }

    @Test func aCurrentNamingAMissingFileIsReported() throws {
        _ = try store.publish(artifact(1))
        try writeCurrentPointer("9\n")
        let error = #expect(throws: ModelFileError.self) { try store.openCurrent() }
        #expect(error?.code == .notFound)
        #expect(error?.description == "\(store.path(forGeneration: 9)): CURRENT names generation 9 but its model file is missing")
    }

    @Test func pruningRemovesTemporaryFilesThatInterruptedWritersLeft() throws {
        _ = try store.publish(artifact(1))
        for name in ["model-7.tmp", "CURRENT.tmp"] { try [1, 2, 3].write(to: folder.file("data/model/" + name)) }
        try store.prune()
        #expect(folder.names(in: "data/model") == [".lock", "CURRENT", "model-1.recmodel"])
    }

    @Test func concurrentPublishersGetDistinctGenerations() throws {
        let store = ModelStore(directory: folder.file("data/model"), retainedGenerationCount: 100)
        let generations = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for round in 0..<3 {
                do {
                    let generation = try store.publish(ModelFileFixtures.artifact(seed: UInt64(worker * 10 + round))).generation
                    generations.withLock { $0.append(generation) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(generations.withLock { $0.sorted() } == Array(1...12))
        #expect(try store.generations() == Array(1...12))
        #expect(try store.currentGeneration() == 12)
    }

    @Test func recognisesOnlyCanonicalGenerationFileNames() {
        #expect(ModelStore.fileName(forGeneration: 42) == "model-42.recmodel")
        #expect(ModelStore.generation(inFileName: "model-42.recmodel") == 42)
        for name in [
            "model-042.recmodel", "model-0.recmodel", "model-.recmodel", "model-4x.recmodel", "model-3.tmp",
            "model-3.recmodel.tmp", "Model-3.recmodel", "model--3.recmodel", "model-3.recmodelx",
        ] {
            #expect(ModelStore.generation(inFileName: name) == nil, "\(name)")
        }
    }

    @Test func usesTheDataDirectorysModelFolder() {
        let store = ModelStore(dataDirectory: DataDirectory(root: "/srv/data/"))
        #expect(store.directory == "/srv/data/model")
        #expect(store.currentPointerPath == "/srv/data/model/CURRENT")
        #expect(store.path(forGeneration: 3) == "/srv/data/model/model-3.recmodel")
        #expect(store.retainedGenerationCount == ModelStore.defaultRetainedGenerationCount)
    }
}
