import Foundation
import RecCore

/// Random but valid model artifacts for model file tests.
enum ModelFileFixtures {
    /// Titles with accents, superscripts, non-Latin scripts and an empty one, so UTF-8 offsets
    /// are exercised, not just ASCII.
    static let sampleTitles = [
        "Misérables, Les (1995)", "Toy Story (1995)", "Alien³ (1992)", "誰も知らない (2004)",
        "City of Lost Children, The (Cité des enfants perdus, La) (1995)", "", "Heat (1995)",
        "Mad Max 2 (a.k.a. The Road Warrior) (1981)",
    ]

    /// Genre lists with accents, a non-Latin script and an empty list (a movie the catalogue
    /// lacks), so the genre offsets are exercised beyond ASCII.
    static let sampleGenres: [[String]] = [
        ["Drama", "Musical"], ["Animation", "Children's", "Comedy"], ["Horror", "Sci-Fi"], ["ドラマ"], ["Comédie"], [],
        ["Action", "Crime", "Thriller"], ["Action", "Sci-Fi"],
    ]

    /// An artifact with the given shape and values drawn from `seed`.
    static func artifact(
        seed: UInt64, itemCount: Int = 7, userCount: Int = 5, factorCount: Int = 5,
        hasImplicitFactors: Bool = true, neighboursPerItem: Int = 3,
        hasFoldInFactorPenalties: Bool = true, hasRanking: Bool = true, hasGenres: Bool = true
    ) -> ModelArtifact {
        var random = SeededRandomNumberGenerator(seed: seed)
        func floats(_ count: Int, _ range: ClosedRange<Float>) -> [Float] {
            (0..<count).map { _ in Float.random(in: range, using: &random) }
        }
        func ascendingIDs(_ count: Int) -> [Int32] {
            var id: Int32 = 0
            return (0..<count).map { _ in
                id += Int32.random(in: 1...20, using: &random); return id
            }
        }

        let titles = (0..<itemCount).map { sampleTitles[$0 % sampleTitles.count] + ($0 < sampleTitles.count ? "" : " #\($0)") }
        let ratingCounts = (0..<itemCount).map { _ in Int32.random(in: 0...500, using: &random) }
        let titleIndex = TitleIndexBuilder.build(titles: titles, ratingCounts: ratingCounts)

        var neighbourItems: [Int32] = []
        var neighbourSimilarities: [Float] = []
        for item in 0..<itemCount {
            let others = (0..<itemCount).filter { $0 != item }.shuffled(using: &random)
            var similarity = Float(1)
            for slot in 0..<neighboursPerItem {
                if slot < others.count && slot < neighboursPerItem - 1 {
                    similarity *= Float.random(in: 0.5...0.99, using: &random)
                    neighbourItems.append(Int32(others[slot]))
                    neighbourSimilarities.append(similarity)
                } else {
                    neighbourItems.append(-1)
                    neighbourSimilarities.append(0)
                }
            }
        }

        var ranking: RankingArtifact?
        if hasRanking {
            var starts: [UInt32] = [0], rated: [Int32] = []
            for _ in 0..<userCount {
                rated += (0..<Int32(itemCount)).filter { _ in Bool.random(using: &random) }
                starts.append(UInt32(rated.count))
            }
            let listLength = userCount > 0 ? min(4, itemCount) : 0
            var rankedItems: [Int32] = []
            for user in 0..<userCount {
                let history = Set(rated[Int(starts[user])..<Int(starts[user + 1])])
                let unrated = (0..<Int32(itemCount)).filter { !history.contains($0) }.shuffled(using: &random)
                rankedItems += (0..<listLength).map { $0 < unrated.count ? unrated[$0] : -1 }
            }
            let weightsPerItem = itemCount > 0 ? 2 : 0
            func watchTable() -> NeighbourTable {
                var weightItems: [Int32] = [], weights: [Float] = []
                for item in 0..<itemCount {
                    let others = (0..<Int32(itemCount)).filter { $0 != item }.shuffled(using: &random)
                    for slot in 0..<weightsPerItem {
                        weightItems.append(slot < others.count ? others[slot] : -1)
                        weights.append(
                            slot < others.count ? Float(weightsPerItem - slot) * Float.random(in: 0.01...0.02, using: &random) : 0)
                    }
                }
                return NeighbourTable(neighboursPerItem: weightsPerItem, items: weightItems, similarities: weights)
            }
            // Two tables, the second shared by the two larger groups, so sections 28 to 30 are
            // written too; a catalogue without slots has room for one only.
            let fewGiven = watchTable()
            let watchWeights =
                itemCount > 0
                ? NewPersonWatchWeights(tables: [fewGiven, watchTable()], tableOfGroup: [0, 1, 1])
                : NewPersonWatchWeights(single: fewGiven)
            let blend = RankingBlend(popularityWeight: 0.003, ratingOffset: -3, ratingSlope: 1)
            ranking = RankingArtifact(
                ratedItems: RatedItemSets(itemCount: itemCount, starts: starts, items: rated),
                rankedItemsPerUser: listLength, userRankedItems: rankedItems,
                watchWeights: watchWeights,
                blends: RankingBlends(knownUser: blend, newPerson: [blend, blend, blend]))
        }

        let metadata = ModelMetadata(
            algorithm: hasImplicitFactors ? "svdpp" : "svd",
            hyperparameters: ["factors": Double(factorCount), "learning_rate": 0.007, "regularization": 0.02],
            dataset: "dataset/ratings_train.dat", ratings: 950_204, users: userCount, movies: itemCount,
            trainedAt: "2024-05-06T07:08:09Z", trainingSeconds: 12.5, trainingRMSE: 0.8125,
            validationRMSE: 0.859375, validationFraction: 0.05, seed: seed)
        return ModelArtifact(
            metadata: metadata, globalMean: 3.58, factorCount: factorCount,
            foldIn: FoldInParameters(biasRegularization: 10, factorRegularization: 0.5, priorRatingCount: 20),
            movieIDs: ascendingIDs(itemCount), titles: titles,
            itemRatingCounts: ratingCounts,
            itemBiases: floats(itemCount, -1...1),
            itemFactors: floats(itemCount * factorCount, -0.5...0.5),
            itemImplicitFactors: hasImplicitFactors ? floats(itemCount * factorCount, -0.1...0.1) : nil,
            titleIndex: titleIndex,
            neighbours: NeighbourTable(
                neighboursPerItem: neighboursPerItem, items: neighbourItems,
                similarities: neighbourSimilarities),
            userIDs: ascendingIDs(userCount), userBiases: floats(userCount, -1...1),
            userFactors: floats(userCount * factorCount, -0.5...0.5),
            foldInFactorPenalties: hasFoldInFactorPenalties ? floats(factorCount, 0.5...20) : nil, ranking: ranking,
            genres: hasGenres ? (0..<itemCount).map { sampleGenres[$0 % sampleGenres.count] } : nil)
    }
}

/// A fresh, uniquely named folder under the system's temporary folder, removed with everything
/// in it when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("recserve-modelfile-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A folder for a fixture the whole test run shares: a `static let` is never
    /// deinitialised, so the folder is removed when the test process exits instead.
    static func forTestRun() -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        _ = exitHook
        registryLock.lock()
        keptForTestRun.append(directory)
        registryLock.unlock()
        return directory
    }

    private nonisolated(unsafe) static var keptForTestRun: [TemporaryDirectory] = []
    private static let registryLock = NSLock()
    private static let exitHook: Void = {
        atexit {
            TemporaryDirectory.registryLock.lock()
            let directories = TemporaryDirectory.keptForTestRun
            TemporaryDirectory.registryLock.unlock()
            for directory in directories { try? FileManager.default.removeItem(atPath: directory.path) }
        }
    }()

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the folder, sorted.
    func names(in subfolder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: subfolder.isEmpty ? path : file(subfolder))) ?? []).sorted()
    }
}

extension [UInt8] {
    /// Writes the bytes to `path`, replacing any file there.
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }

    /// Reads a little-endian integer at byte `offset`.
    func load<Value: FixedWidthInteger>(_ type: Value.Type, at offset: Int) -> Value {
        withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Value.self)) }
    }

    /// Stores a little-endian integer at byte `offset`.
    mutating func store<Value: FixedWidthInteger>(_ value: Value, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Value.self) }
    }
}
