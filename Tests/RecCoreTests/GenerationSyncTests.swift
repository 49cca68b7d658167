import Foundation
import Testing
@testable import RecCore

/// `rec-cli publish --to` and `rec-cli sync --from` over a fake bucket: the order of uploads,
/// full verification before a downloaded generation is published, and every failure leaving
/// the served generation as it was.
struct GenerationSyncTests {
    let location = ObjectStoreLocation(parsing: "s3://bucket/models")!
    let bucket = FolderObjectStorage()
    let publisher = ServingFixture()
    let host = ServingFixture()

    private func uploadFromPublisher() throws -> Int {
        try GenerationUpload.publish(
            store: publisher.store, to: location, client: bucket,
            workFolder: ReplicationWorkFolder(dataDirectory: publisher.dataDirectory))
    }

    private func hostSync(logger: RecordingLogHandler = RecordingLogHandler()) throws -> GenerationSync {
        GenerationSync(
            location: location, dataDirectory: host.dataDirectory, client: bucket,
            workFolder: try ReplicationWorkFolder(dataDirectory: host.dataDirectory), logger: logger.logger)
    }

    private func servedOnHost() throws -> Int? { try ServedModelControl.servedGeneration(dataDirectory: host.dataDirectory) }

    @Test func publishUploadsTheModelFileBeforeThePointer() throws {
        try publisher.publish()
        #expect(try uploadFromPublisher() == 1)
        #expect(bucket.transfers == ["upload model-1.recmodel", "upload CURRENT"])
    }

    @Test func aFailedModelUploadLeavesTheRemotePointerAlone() throws {
        try publisher.publish()
        bucket.fail("model-1.recmodel", with: ObjectStorageError(.unavailable, "connection refused"))
        #expect(failureCode { _ = try uploadFromPublisher() } == .storage)
        #expect(bucket.transfers == ["upload model-1.recmodel"])
    }

    @Test func publishRefusesWithoutALocalModel() throws {
        #expect(failureCode { _ = try uploadFromPublisher() } == .noLocalModel)
        #expect(bucket.transfers.isEmpty)
    }

    @Test func aNewRemoteGenerationIsVerifiedPublishedAndServed() throws {
        try publisher.publish()
        try publisher.publish()
        #expect(try uploadFromPublisher() == 2)
        var sync = try hostSync()
        guard case .published(let remote, let publication, .success(let reload)) = try sync.poll() else {
            Issue.record("the first poll must publish and reload")
            return
        }
        #expect(remote == 2 && publication.generation == 1 && reload.generation == 1)
        #expect(try servedOnHost() == 1)
        let published = try #require(FileManager.default.contents(atPath: host.store.path(forGeneration: 1)))
        #expect(published == FileManager.default.contents(atPath: publisher.store.path(forGeneration: 2)))
        guard case .unchanged(2) = try sync.poll() else {
            Issue.record("a second poll of the same CURRENT must do nothing")
            return
        }
        #expect(bucket.transfers.filter { $0 == "download model-2.recmodel" }.count == 1)
    }

    @Test func aRestartedSyncDoesNotPublishTheSameFileAgain() throws {
        try publisher.publish()
        _ = try uploadFromPublisher()
        var first = try hostSync()
        _ = try first.poll()
        var restarted = try hostSync()
        guard case .alreadyCurrent(remoteGeneration: 1, localGeneration: 1) = try restarted.poll() else {
            Issue.record("the same file must be recognised by its checksum")
            return
        }
        #expect(try host.store.generations() == [1])
    }

    @Test(arguments: ["flipped byte", "truncated", "garbage"])
    func aDamagedUploadIsRefusedAndTheOldGenerationStaysServed(_ damage: String) throws {
        try publisher.publish()
        _ = try uploadFromPublisher()
        let recorder = RecordingLogHandler()
        var sync = try hostSync(logger: recorder)
        _ = try sync.poll()
        var bytes = try #require(FileManager.default.contents(atPath: publisher.store.path(forGeneration: 1))).map { $0 }
        switch damage {
        case "flipped byte": bytes[bytes.count / 2] ^= 0x5A
        case "truncated": bytes.removeLast(bytes.count / 3)
        default: bytes = Array("not a model".utf8)
        }
        try bucket.put(bytes, as: "model-7.recmodel")
        try bucket.put(Array("7\n".utf8), as: "CURRENT")
        guard case .refused(remoteGeneration: 7, _) = try sync.poll() else {
            Issue.record("a damaged file must be refused")
            return
        }
        #expect(try host.store.currentGeneration() == 1)
        #expect(try host.store.generations() == [1])
        #expect(try servedOnHost() == 1)
        #expect(recorder.records.contains { $0.level == .error && $0.message.hasPrefix("refused a remote model generation") })
        let downloads = bucket.transfers.filter { $0 == "download model-7.recmodel" }.count
        guard case .unchanged(7) = try sync.poll() else {
            Issue.record("a refused generation is not fetched again")
            return
        }
        #expect(bucket.transfers.filter { $0 == "download model-7.recmodel" }.count == downloads)
    }

    @Test func eachRemoteProblemIsAnErrorThatLeavesTheHostAlone() throws {
        var sync = try hostSync()
        #expect(failureCode { _ = try sync.poll() } == .noRemoteModel)
        try bucket.put(Array("07\n".utf8), as: "CURRENT")
        #expect(failureCode { _ = try sync.poll() } == .corruptRemotePointer)
        try bucket.put(Array("3\n".utf8), as: "CURRENT")
        #expect(failureCode { _ = try sync.poll() } == .missingRemoteFile)
        bucket.fail("*", with: ObjectStorageError(.accessDenied, "InvalidAccessKeyId"))
        #expect(failureCode { _ = try sync.poll() } == .storage)
        #expect(try host.store.currentGeneration() == nil)
        #expect(sync.handledRemoteGeneration == nil)
    }

    @Test func aWorkFolderLeftByAKilledSyncIsRemovedAndALiveOnesIsKept() throws {
        let run = host.dataDirectory.runDirectory
        try FileManager.default.createDirectory(atPath: run + "/replication-999999999", withIntermediateDirectories: true)
        try Array("partial".utf8).write(to: run + "/replication-999999999/model-3.recmodel")
        try FileManager.default.createDirectory(atPath: run + "/replication-1", withIntermediateDirectories: true)
        let folder = try ReplicationWorkFolder(dataDirectory: host.dataDirectory)
        #expect(!FileManager.default.fileExists(atPath: run + "/replication-999999999"))
        #expect(FileManager.default.fileExists(atPath: run + "/replication-1")) // init (pid 1) still runs
        #expect(FileManager.default.fileExists(atPath: folder.path))
        folder.remove()
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func theBackoffDoublesUpToItsCapAndResetsOnSuccess() {
        var backoff = SyncBackoff(intervalSeconds: 5, maximumSeconds: 60)
        #expect((1...6).map { _ in backoff.recordFailure() } == [10, 20, 40, 60, 60, 60])
        #expect(backoff.consecutiveFailures == 6)
        #expect(backoff.recordSuccess() == 5)
        #expect(backoff.recordFailure() == 10)
    }

    @Test func locationsAreParsedStrictly() {
        #expect(ObjectStoreLocation(parsing: "s3://my-bucket/a/b/")?.key("CURRENT") == "a/b/CURRENT")
        #expect(ObjectStoreLocation(parsing: "s3://my-bucket")?.key("CURRENT") == "CURRENT")
        #expect(ObjectStoreLocation(parsing: "s3://my-bucket//x")?.description == "s3://my-bucket/x")
        for bad in ["my-bucket/x", "s3://", "s3://ab/x", "s3://Upper/x", "s3://bucket/../x", "gs://bucket/x"] {
            #expect(ObjectStoreLocation(parsing: bad) == nil, "\(bad)")
        }
    }
}

/// The code of the `ReplicationError` that `body` throws, or `nil` if it throws none.
func failureCode(_ body: () throws -> Void) -> ReplicationError.Code? {
    do {
        try body()
        return nil
    } catch {
        return (error as? ReplicationError)?.code
    }
}
