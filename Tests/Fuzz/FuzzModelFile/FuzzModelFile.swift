import Foundation
import FuzzSupport
import RecCore

/// libFuzzer target: `LoadedModel.open(path:verifyContents:)` on mutated model files, then
/// every view a worker uses on a file that opened.
///
/// The format promises that the reader throws a `ModelFileError` on any damaged file and
/// that a file it accepts never makes a lookup crash a worker. A random mutation would only
/// ever reach the checksum check, so before opening the harness makes the input look intact
/// where it can: it stores the input's length in the header's file-size field and seals the
/// checksum (`ModelFileChecksum.seal`), so every mutation reaches the structural checks of
/// the header, the section table and the sections' contents. (The size and checksum checks
/// themselves are covered by `ModelFileCorruptionTests`.)
///
/// After a successful open it decodes the metadata, copies the model back to an artifact,
/// builds a `RecommendationEngine` and asks for recommendations (known user and new person,
/// both rankings), similar movies, a prediction and title lookups, and sends the router the
/// requests a client would.
///
/// Seeds: `Tests/Fuzz/Corpus/ModelFile/*.recmodel`, written by this binary with
/// `REC_FUZZ_WRITE_SEEDS=<folder>` (see `SeedModels`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var file = Array(UnsafeBufferPointer(start: data, count: size))
    if file.count >= ModelFileLayout.headerSize {
        let count = UInt64(file.count)
        file.withUnsafeMutableBytes {
            $0.storeBytes(of: count.littleEndian, toByteOffset: ModelFileLayout.HeaderField.fileSize, as: UInt64.self)
        }
        ModelFileChecksum.seal(&file)
    }
    file.withUnsafeBytes { FuzzSupport.write($0, to: scratchModelPath) }
    let model: LoadedModel
    do {
        model = try LoadedModel.open(path: scratchModelPath, generation: 1, verifyContents: true)
    } catch {
        return 0
    }
    exercise(model)
    return 0
}

/// Environment hook: `REC_FUZZ_WRITE_SEEDS=<folder>` writes the seed models and exits.
@_cdecl("LLVMFuzzerInitialize")
public func initializeModelFileFuzzer(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    if let folder = getenv("REC_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) {
        do {
            try SeedModels.write(to: folder)
        } catch {
            fatalError("cannot write the seed models: \(error)")
        }
        _exit(0) // not exit: the leak checker would report the training's caches
    }
    return 0
}

private let scratchModelPath = FuzzSupport.scratchFile("model-1.recmodel")

/// Everything a worker may do with a model it has opened.
private func exercise(_ model: LoadedModel) {
    _ = try? model.metadata()
    _ = try? model.artifact()
    let engine = RecommendationEngine(model: model)
    var items = [0, model.itemCount - 1].filter { $0 >= 0 }
    if model.itemCount > 2 { items.append(model.itemCount / 2) }
    for item in items {
        let title = engine.title(ofItem: item)
        _ = model.neighbours(ofItem: item)
        _ = model.itemFactorRow(item)
        _ = model.itemImplicitFactorRow(item)
        _ = engine.resolve(.title(title))
        _ = try? engine.similarItems(to: .id(model.movieIDs[item]), count: 10)
        _ = try? engine.similarItems(to: .title(String(title.prefix(6))), count: 3)
    }
    let someMovie = model.itemCount > 0 ? model.movieIDs[0] : 1
    let ratings: [(movie: MovieReference, rating: Double)] =
        items.map { (.id(model.movieIDs[$0]), 4.5) } + [(.title("the"), 2), (.id(someMovie), 1)]
    for ranking in [RecommendationRanking.relevance, .rating] {
        _ = try? engine.recommendedItems(ratings: ratings, count: 10, ranking: ranking)
        _ = try? engine.recommendedItems(ratings: Array(ratings.prefix(1)), count: 1000, ranking: ranking)
    }
    var users = [0, model.userCount - 1].filter { $0 >= 0 }
    if model.userCount > 2 { users.append(model.userCount / 2) }
    for user in users {
        let userID = model.userIDs[user]
        _ = model.userFactorRow(user)
        _ = model.ranking?.ratedItems(ofUser: user)
        _ = model.ranking?.rankedItems(ofUser: user)
        for ranking in [RecommendationRanking.relevance, .rating] {
            _ = try? engine.recommendedItems(userID: userID, count: 10, ranking: ranking)
        }
        _ = engine.predictRating(userID: userID, movieID: someMovie)
    }
    _ = engine.predictRating(userID: -1, movieID: someMovie)

    let served = ServedModelSnapshot(engine: engine)
    let router = APIRouter(
        service: ServiceDescription(
            build: BuildInfo(version: "0.0.0", gitSHA: "fuzz", buildDate: "2026-01-01T00:00:00Z", source: "fuzz"),
            startedAt: "2026-01-01T00:00:00Z", workers: 1, processID: 1),
        credentials: .null, dataDirectory: DataDirectory(root: "/nonexistent/recserve-fuzz"), adminToken: nil,
        reload: { .failure(ReloadError(.noModel, "none")) })
    let userQuery = model.userCount > 0 ? "user_id=\(model.userIDs[0])&n=5" : "user_id=1"
    let requests = [
        APIRequest(method: "GET", path: "/api/info"),
        APIRequest(method: "GET", path: "/api/health"),
        APIRequest(method: "GET", path: "/api/recommend", query: userQuery),
        APIRequest(method: "GET", path: "/api/similar", query: "movie_id=\(someMovie)&n=5"),
        APIRequest(method: "GET", path: "/api/similar", query: "movie_name=star+wars"),
        APIRequest(method: "GET", path: "/api/movies", query: "q=star+wa&limit=50"),
        APIRequest(method: "POST", path: "/api/predict", body: Array("[[\(someMovie), \"toy story\"], [5, 3.5]]".utf8)),
    ]
    for request in requests {
        let response = router.respond(to: request, served: served)
        FuzzSupport.require((100...599).contains(response.status), "status \(response.status) for \(request.path)")
    }
}

/// The seed corpus: three small models trained on a corner of the committed MovieLens-100k
/// split (users 1 to 60, movies 1 to 120), one per shape of file: SVD++ (implicit factors
/// and the ranking model), Bayesian MF (fold-in factor penalties) and MF without a ranking
/// model. Each is a few tens of KB, so mutations stay fast.
enum SeedModels {
    static func write(to folder: String) throws {
        let source = FuzzSupport.repositoryRoot + "/Tests/Fixtures/ml-100k-u1"
        let work = FuzzSupport.scratchFile("seed-dataset")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        func keep(_ file: String, into name: String, where include: ([Substring]) -> Bool, separator: UInt8) throws {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: source + "/" + file))
            let lines = bytes.split(separator: UInt8(ascii: "\n")).filter { line in
                include(
                    String(decoding: line, as: UTF8.self).split(
                        separator: Character(Unicode.Scalar(separator)), omittingEmptySubsequences: false))
            }
            try Data(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]).write(
                to: URL(fileURLWithPath: work + "/" + name))
        }
        try keep(
            "u1.base", into: "ratings.data",
            where: { fields in
                fields.count >= 2 && (Int(fields[0]) ?? .max) <= 60 && (Int(fields[1]) ?? .max) <= 120
            }, separator: UInt8(ascii: "\t"))
        try keep("u.item", into: "u.item", where: { fields in (Int(fields[0]) ?? .max) <= 120 }, separator: UInt8(ascii: "|"))

        var neighbours = ItemNeighbourBuilder.Settings()
        neighbours.neighboursPerItem = 6
        neighbours.minimumCommonRaters = 2
        var ranking = RankingSettings()
        ranking.watchWeightsPerItem = 4
        ranking.rankedItemsPerUser = 8
        var noRanking = ranking
        noRanking.isEnabled = false
        let models: [(name: String, algorithm: ModelAlgorithm, hyperparameters: [String: Double], ranking: RankingSettings)] = [
            ("seed-svdpp", .svdpp, ["factors": 4, "epochs": 8], ranking),
            ("seed-bayesian-mf", .bayesianMF, ["factors": 3, "sweeps": 12], ranking),
            ("seed-mf-no-ranking", .mf, ["factors": 2, "epochs": 5], noRanking),
        ]
        for model in models {
            let options = TrainingOptions(
                datasetPath: work + "/ratings.data", algorithm: model.algorithm, hyperparameters: model.hyperparameters,
                seed: 7, searchHyperparameters: false, threadCount: 1, neighbourSettings: neighbours,
                ranking: model.ranking)
            let result = try TrainingPipeline.train(options, logger: FuzzSupport.quietLogger)
            var artifact = result.artifact
            // The metadata names the scratch folder; keep the committed files reproducible.
            artifact.metadata.dataset = "Tests/Fixtures/ml-100k-u1/u1.base (users 1-60, movies 1-120)"
            artifact.metadata.trainedAt = "2026-01-01T00:00:00Z"
            artifact.metadata.trainingSeconds = 0
            try ModelFileWriter.write(artifact, toPath: folder + "/" + model.name + ".recmodel")
            print("wrote \(folder)/\(model.name).recmodel")
        }
    }
}
