import Logging
import RecAPI
import RecConfiguration
import RecModelFile

/// One host's side of `rec-cli sync --from s3://BUCKET/PREFIX`: polls the remote `CURRENT`
/// and brings a new generation into the local model folder and the pool.
///
/// A poll (`poll()`):
/// 1. downloads the remote `CURRENT` into the work folder and reads it with the same rules as
///    a local `CURRENT` (`ModelStore.currentGeneration()`);
/// 2. stops there if it names the generation the last poll handled;
/// 3. downloads `model-<g>.recmodel` into the work folder;
/// 4. verifies it fully (`LoadedModel.open(verifyContents: true)`, exactly as a worker does
///    before serving); a file that fails is refused and logged, and is not downloaded again
///    until the remote `CURRENT` changes;
/// 5. stops if its checksum is the local current generation's (already here), else publishes
///    it with `ModelStore.publish(verified:)`, the atomic publish of a trained model;
/// 6. reloads the pool with `ServedModelControl.reload` (trigger `sync`), the path of
///    `/api/reload`, which verifies the generation once more under the folder's lock.
///
/// Whatever fails, the pool keeps serving the generation it served.
public struct GenerationSync: Sendable {
    /// The remote prefix.
    public let location: ObjectStoreLocation
    /// The data folder whose model folder and pool are kept in step.
    public let dataDirectory: DataDirectory
    /// The remote generation the last poll handled (published, found already current, or
    /// refused), or `nil` before the first one.
    public private(set) var handledRemoteGeneration: Int?
    private let client: any ObjectStorageClient
    private let workFolder: ReplicationWorkFolder
    private let logger: Logger

    /// A sync of `dataDirectory` from `location` through `client`, downloading into `workFolder`.
    public init(
        location: ObjectStoreLocation, dataDirectory: DataDirectory, client: any ObjectStorageClient,
        workFolder: ReplicationWorkFolder, logger: Logger
    ) {
        self.location = location
        self.dataDirectory = dataDirectory
        self.client = client
        self.workFolder = workFolder
        self.logger = logger
    }

    /// Polls once; see the type's description. Logs a publication or a refusal itself.
    ///
    /// - Throws: `ReplicationError` when the poll could not finish: the caller retries later.
    public mutating func poll() throws(ReplicationError) -> SyncOutcome {
        defer { workFolder.empty() }
        let generation = try remoteGeneration()
        if generation == handledRemoteGeneration { return .unchanged(remoteGeneration: generation) }
        let name = ModelStore.fileName(forGeneration: generation)
        let download = workFolder.file(name)
        do throws(ObjectStorageError) {
            try client.download(name, from: location, to: download)
        } catch  where error.code == .notFound {
            throw ReplicationError(
                .missingRemoteFile, "\(location)/CURRENT names generation \(generation) but \(name) is not there", storageError: error)
        } catch {
            throw ReplicationError(.storage, "cannot download generation \(generation): \(error)", storageError: error)
        }
        let store = ModelStore(dataDirectory: dataDirectory)
        let verified: LoadedModel
        do throws(ModelFileError) {
            verified = try LoadedModel.open(path: download, verifyContents: true)
        } catch {
            handledRemoteGeneration = generation
            logger.error(
                "refused a remote model generation; serving continues unchanged",
                metadata: [
                    "source": "\(location)", "remote_generation": "\(generation)", "code": "\(error.code.rawValue)", "error": "\(error)",
                ])
            return .refused(remoteGeneration: generation, error: error)
        }
        if let local = try? store.openCurrent(), local.storedChecksum == verified.storedChecksum, local.fileSize == verified.fileSize {
            handledRemoteGeneration = generation
            serveIfNotServed(local.generation)
            return .alreadyCurrent(remoteGeneration: generation, localGeneration: local.generation)
        }
        let publication: ModelPublication
        do throws(ModelFileError) {
            publication = try store.publish(verified: verified)
        } catch {
            throw ReplicationError(.localFailure, "cannot publish generation \(generation) locally: \(error)")
        }
        handledRemoteGeneration = generation
        logger.info(
            "published a remote model generation",
            metadata: [
                "source": "\(location)", "remote_generation": "\(generation)", "generation": "\(publication.generation)",
                "bytes": "\(publication.byteCount)",
            ])
        let reload = ServedModelControl.reload(dataDirectory: dataDirectory, trigger: .sync, logger: logger)
        return .published(remoteGeneration: generation, publication: publication, reload: reload)
    }

    /// Reloads the pool when it does not serve `generation`, the local `CURRENT`: a sync
    /// stopped between publishing and reloading finishes the job after a restart.
    private func serveIfNotServed(_ generation: Int) {
        guard (try? ServedModelControl.servedGeneration(dataDirectory: dataDirectory)) != generation else { return }
        _ = ServedModelControl.reload(dataDirectory: dataDirectory, trigger: .sync, logger: logger)
    }

    /// The generation the remote `CURRENT` names, read with the local pointer's rules.
    private func remoteGeneration() throws(ReplicationError) -> Int {
        do throws(ObjectStorageError) {
            try client.download(ModelStore.currentPointerName, from: location, to: workFolder.file(ModelStore.currentPointerName))
        } catch  where error.code == .notFound {
            throw ReplicationError(
                .noRemoteModel, "\(location)/CURRENT does not exist; publish a generation with `rec-cli publish --to \(location)`",
                storageError: error)
        } catch {
            throw ReplicationError(.storage, "cannot read \(location)/CURRENT: \(error)", storageError: error)
        }
        let generation: Int?
        do throws(ModelFileError) {
            generation = try ModelStore(directory: workFolder.path).currentGeneration()
        } catch {
            throw ReplicationError(.corruptRemotePointer, "\(location)/CURRENT is not a generation number: it \(error.reason)")
        }
        guard let generation else { throw ReplicationError(.noRemoteModel, "\(location)/CURRENT vanished while it was downloaded") }
        return generation
    }
}
