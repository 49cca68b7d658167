import Foundation
import Logging
import Testing
@testable import RecCore

/// A data folder for serving tests: publish generations, build routers and services over it,
/// and send requests without sockets.
final class ServingFixture: @unchecked Sendable {
    let folder = TemporaryDirectory()
    let dataDirectory: DataDirectory

    init() {
        dataDirectory = DataDirectory(root: folder.file("data"))
    }

    var store: ModelStore { ModelStore(dataDirectory: dataDirectory) }

    /// Publishes `artifact` (the trained fixture's by default) as the next generation.
    @discardableResult
    func publish(_ artifact: ModelArtifact? = nil) throws -> Int {
        try store.publish(artifact ?? TrainedModelFixture.load().result.artifact).generation
    }

    /// A router over this folder.
    func router(adminToken: String? = nil) -> APIRouter {
        APIRouter(
            service: ServingFixture.service, credentials: ServiceCredentials.builtIn, dataDirectory: dataDirectory,
            adminToken: adminToken)
    }

    /// A worker's service over this folder that checks the control file on every request.
    func service() -> APIService {
        APIService(
            settings: ServingFixture.settings(dataDirectory), workerCount: 2,
            startedAt: Date(timeIntervalSince1970: 1_764_000_000), processID: 4242, logger: TrainedModelFixture.quietLogger)
    }

    /// The default settings with their data folder at `dataDirectory`.
    static func settings(_ dataDirectory: DataDirectory) -> RecSettings {
        var settings = try! RecSettings(environment: [:], processorCount: 2)
        settings.dataDirectory = dataDirectory
        return settings
    }

    /// A holder that re-checks the control file's identity and retries failed opens on every request.
    func holder() -> ServedModelHolder {
        ServedModelHolder(
            dataDirectory: dataDirectory, logger: TrainedModelFixture.quietLogger, controlCheckInterval: .zero,
            retryInterval: .zero)
    }

    /// The control file's path.
    var controlFilePath: String { ServedModelControl.controlFilePath(dataDirectory: dataDirectory) }

    /// Flips one bit of the first item factor in generation `generation`'s file (published from
    /// the trained fixture): damage only the checksum can see.
    func corruptFirstItemFactor(generation: Int) throws {
        let path = store.path(forGeneration: generation)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let factors = try TrainedModelFixture.load().result.artifact.itemFactors.prefix(4)
        let pattern = factors.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let offset = try #require((0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) })
        bytes[offset + 1] ^= 0x10
        try bytes.write(to: path)
    }

    static let service = ServiceDescription(
        build: BuildInfo(version: "0.1.0", gitSHA: "abc1234", buildDate: "2026-11-26T12:00:00Z", source: "test"),
        startedAt: "2026-11-26T12:30:00Z", workers: 2, processID: 4242)
}

/// Requests and their answers, as the tests write them.
enum API {
    static func post(_ path: String, _ body: String, query: String = "", requestID: String = "test-request") -> APIRequest {
        APIRequest(method: "POST", path: path, query: query, body: Array(body.utf8), requestID: requestID)
    }

    static func get(_ path: String, query: String = "", requestID: String = "test-request", authorization: String? = nil) -> APIRequest {
        APIRequest(method: "GET", path: path, query: query, requestID: requestID, authorization: authorization)
    }
}

extension APIResponse {
    /// The body parsed as JSON.
    var json: JSONValue {
        get throws { try JSONParser.parse(body) }
    }

    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `error` object's `code`, or nil for an answer that is not an error.
    var errorCode: String? { (try? json)?["error"]?["code"]?.string }
}

/// A model over the embedded MovieLens-1M catalogue (titles, ids and training rating counts)
/// with random factors and neighbours: for the SPEC's title examples, such as
/// "Lord of the Rings", which the MovieLens-100k fixture does not have.
enum CatalogueModelFixture {
    static let artifact = Result { () throws -> ModelArtifact in
        let titles = try TitleMatchingFixture.shared.get()
        var generator = SeededRandomNumberGenerator(seed: 77)
        let movies = titles.catalog.movies
        let itemCount = movies.count, factorCount = 16, neighbours = 10
        func floats(_ count: Int, _ scale: Float) -> [Float] { (0..<count).map { _ in Float(generator.nextGaussian()) * scale } }
        var neighbourItems: [Int32] = []
        var neighbourSimilarities: [Float] = []
        for item in 0..<itemCount {
            var similarity: Float = 0.9
            for _ in 0..<neighbours {
                var other = generator.nextIndex(below: itemCount)
                if other == item { other = (other + 1) % itemCount }
                neighbourItems.append(Int32(other))
                neighbourSimilarities.append(similarity)
                similarity *= 0.9
            }
        }
        let metadata = ModelMetadata(
            algorithm: "mf", hyperparameters: ["factors": Double(factorCount)], dataset: "dataset/ratings_train.dat",
            ratings: 950_204, users: 3, movies: itemCount, trainedAt: "2026-11-26T12:00:00Z",
            trainingSeconds: 1.5, trainingRMSE: 0.8, validationRMSE: 0.85, validationFraction: 0.05, seed: 77)
        return ModelArtifact(
            metadata: metadata, globalMean: 3.58, factorCount: factorCount,
            foldIn: FoldInParameters(biasRegularization: 10, factorRegularization: 0.05, priorRatingCount: 5),
            movieIDs: movies.map(\.id), titles: movies.map(\.title), itemRatingCounts: titles.ratingCounts,
            itemBiases: floats(itemCount, 0.3), itemFactors: floats(itemCount * factorCount, 0.2),
            itemImplicitFactors: nil, titleIndex: titles.tables,
            neighbours: NeighbourTable(neighboursPerItem: neighbours, items: neighbourItems, similarities: neighbourSimilarities),
            userIDs: [1, 2, 3], userBiases: floats(3, 0.1), userFactors: floats(3 * factorCount, 0.2))
    }
}
