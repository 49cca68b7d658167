import Foundation
import Testing
@testable import RecCore
@testable import RecTraining

/// A tiny ALS interchange folder, as `spark/train_als.py` writes one, beside its training
/// ratings and catalogue; each test changes one thing before importing it.
struct ALSFolder {
    let root = TemporaryDirectory()
    /// Four users, four rated movies and a fifth only in the catalogue.
    static let ratings: [(user: Int, movie: Int, rating: Double)] = [
        (1, 10, 5), (1, 20, 4), (1, 30, 1), (2, 10, 4), (2, 20, 5), (2, 40, 2),
        (3, 20, 2), (3, 30, 5), (3, 40, 4), (4, 10, 3), (4, 30, 4), (4, 40, 5),
    ]
    static let movies = [
        (10, "Alpha (1990)", "Drama"), (20, "Beta (1991)", "Comedy"), (30, "Gamma (1992)", "Action|Thriller"),
        (40, "Delta (1993)", "Drama"), (50, "Epsilon (1994)", "Horror"),
    ]
    static let globalMean = 3.6666667
    /// id → (bias, factors): rank 2.
    static let users: [Int: (Double, [Double])] = [
        1: (0.1, [0.5, -0.2]), 2: (0.2, [0.3, 0.4]), 3: (-0.3, [-0.6, 0.1]), 4: (0.05, [0.0, 0.7]),
    ]
    static let items: [Int: (Double, [Double])] = [
        10: (0.2, [0.8, 0.1]), 20: (0.1, [0.4, -0.5]), 30: (-0.1, [-0.7, 0.3]), 40: (0.0, [0.2, 0.9]),
    ]

    var manifest: [String: Any] = [
        "format": "recserve-als", "format_version": 1, "rank": 2, "users": 4, "items": 4, "ratings": 12,
        "global_mean": ALSFolder.globalMean,
        "hyperparameters": ["rank": 2, "reg_param": 0.08, "max_iter": 10, "user_bias_reg": 5, "item_bias_reg": 5],
        "selection": ["method": "fixed", "validation_rmse": 0.91, "validation_fraction": 0.05],
        "training_rmse": ALSFolder.trainingRMSE, "seed": 7, "seconds": 12.5, "spark_version": "4.1.1",
    ]
    var userLines = ALSFolder.factorLines(ALSFolder.users)
    var itemLines = ALSFolder.factorLines(ALSFolder.items)
    var ratingLines = ALSFolder.ratings.map { "\($0.user)::\($0.movie)::\(Int($0.rating))::978300760" }

    var directory: String { root.file("als") }
    var dataset: String { root.file("data/ratings.dat") }
    var dataDirectory: DataDirectory { DataDirectory(root: root.file("rec")) }

    static func factorLines(_ rows: [Int: (Double, [Double])]) -> [String] {
        ["id,bias,f0,f1"]
            + rows.keys.sorted().map { id in ([String(id), String(rows[id]!.0)] + rows[id]!.1.map { String($0) }).joined(separator: ",") }
    }

    /// The model's prediction for a user and movie of the folder.
    static func prediction(user: Int, movie: Int) -> Double {
        let (userBias, p) = users[user]!, (itemBias, q) = items[movie]!
        return globalMean + userBias + itemBias + zip(p, q).map(*).reduce(0, +)
    }

    static let trainingRMSE: Double = {
        let squares = ratings.map { pow($0.rating - prediction(user: $0.user, movie: $0.movie), 2) }
        return (squares.reduce(0, +) / Double(squares.count)).squareRoot()
    }()

    /// Writes the folder, the ratings and `movies.dat` beside them.
    func write(skipping skipped: String? = nil, manifestText: String? = nil) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root.file("data"), withIntermediateDirectories: true)
        let manifestData = try manifestText.map { Data($0.utf8) } ?? JSONSerialization.data(withJSONObject: manifest)
        let files: [(String, Data)] = [
            ("manifest.json", manifestData), ("user_factors.csv", Data((userLines.joined(separator: "\n") + "\n").utf8)),
            ("item_factors.csv", Data((itemLines.joined(separator: "\n") + "\n").utf8)),
        ]
        for (name, data) in files where name != skipped {
            try data.write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        try (ratingLines.joined(separator: "\n") + "\n").write(toFile: dataset, atomically: true, encoding: .utf8)
        try Self.movies.map { "\($0.0)::\($0.1)::\($0.2)" }.joined(separator: "\n")
            .write(toFile: root.file("data/movies.dat"), atomically: true, encoding: .utf8)
    }

    func model() -> MyRecModel {
        MyRecModel(dataDirectory: dataDirectory, logger: TrainedModelFixture.quietLogger)
    }

    func importModel() throws -> PublishedModel {
        try model().importALS(directory: directory) { $0.datasetPath = dataset }
    }

    /// The model folder's file names other than the lock: empty when nothing was published.
    func publishedNames() -> [String] {
        root.names(in: "rec/model").filter { $0 != ".lock" }
    }
}

struct ALSImportTests {
    @Test func anImportedModelPredictsWithItsFactorsAndServesLikeATrainedOne() throws {
        let folder = ALSFolder()
        try folder.write()
        let published = try folder.importModel()
        #expect(published.generation == 1)
        #expect(abs(published.training.trainingRMSE - ALSFolder.trainingRMSE) < 1e-5)

        // A known user's rating is the factors' prediction: evaluate a one-row file with it.
        let testFile = folder.root.file("data/test.dat")
        try "2::30::3::978300760\n".write(toFile: testFile, atomically: true, encoding: .utf8)
        let model = folder.model()
        let metrics = try model.evaluate(dataset: testFile)
        #expect(metrics.fallbackRows == 0)
        #expect(abs(metrics.rmse - abs(3 - ALSFolder.prediction(user: 2, movie: 30))) < 1e-4)

        let loaded = try model.warmup()
        let metadata = try loaded.metadata()
        #expect(metadata.algorithm == "spark-als")
        #expect(metadata.hyperparameters["factors"] == 2 && metadata.hyperparameters["factor_regularization"] == 0.08)
        #expect(metadata.validationRMSE == 0.91 && metadata.seed == 7 && metadata.ratings == 12 && metadata.movies == 5)
        #expect(loaded.factorCount == 2)
        let foldIn = loaded.foldIn
        #expect(foldIn.factorRegularization == 0.08 && foldIn.priorRatingCount == ModelArtifactAssembler.foldInPriorRatingCount)

        // Titles from the catalogue beside the ratings; a new person is folded in; the known
        // user's list never holds a movie they rated.
        let (movies, ratings) = try model.predict(([10], [5]), top: 3)
        #expect(movies.count == 3 && !movies.contains(10) && ratings == ratings.sorted(by: >))
        #expect(try model.searchMovies("gamma").first?.title == "Gamma (1992)")
        let (known, _) = try model.recommend(userId: 1, top: 2)
        #expect(Set(known).isDisjoint(with: [10, 20, 30]))
    }

    /// One broken input each; the error names the file and nothing is published.
    enum BrokenInput: String, CaseIterable, Sendable {
        case missingManifest, missingItemFactors, manifestNotJSON, wrongFormat, wrongVersion, missingRegParam
        case wrongHeader, rankMismatch, wrongColumnCount, notANumber, nanValue, infiniteValue, floatOverflow
        case duplicatedUser, userCountMismatch, ratingCountMismatch, unknownUser, missingUser, unknownMovie
        case trainingRMSEMismatch

        /// The code and the file the error must name, and a piece of its reason.
        var expected: (code: ALSImportError.Code, file: String, reason: String) {
            switch self {
            case .missingManifest: return (.missingFile, "manifest.json", "no such file")
            case .missingItemFactors: return (.missingFile, "item_factors.csv", "no such file")
            case .manifestNotJSON: return (.invalidManifest, "manifest.json", "not valid JSON")
            case .wrongFormat: return (.invalidManifest, "manifest.json", "not 'recserve-als'")
            case .wrongVersion: return (.invalidManifest, "manifest.json", "format_version 2")
            case .missingRegParam: return (.invalidManifest, "manifest.json", "reg_param")
            case .wrongHeader: return (.wrongHeader, "user_factors.csv", "line 1")
            case .rankMismatch: return (.rankMismatch, "item_factors.csv", "3 factor columns, but manifest.json says rank 2")
            case .wrongColumnCount: return (.wrongColumnCount, "user_factors.csv", "line 3: 3 columns, expected 4")
            case .notANumber: return (.malformedValue, "item_factors.csv", "line 2: f1 'abc' is not a number")
            case .nanValue: return (.nonFiniteValue, "user_factors.csv", "line 4: f0 is not finite")
            case .infiniteValue: return (.nonFiniteValue, "item_factors.csv", "line 5: bias is not finite")
            case .floatOverflow: return (.nonFiniteValue, "user_factors.csv", "line 2: f1 is not finite")
            case .duplicatedUser: return (.duplicatedID, "user_factors.csv", "line 5: id 3 is repeated (first on line 4)")
            case .userCountMismatch: return (.countMismatch, "user_factors.csv", "4 users, but manifest.json says 5")
            case .ratingCountMismatch: return (.countMismatch, "manifest.json", "12 ratings, but")
            case .unknownUser: return (.datasetMismatch, "user_factors.csv", "user 9 has no rating in the dataset")
            case .missingUser: return (.datasetMismatch, "user_factors.csv", "no row for user 4")
            case .unknownMovie: return (.datasetMismatch, "item_factors.csv", "movie 50 has no rating in the dataset")
            case .trainingRMSEMismatch: return (.datasetMismatch, "manifest.json", "training_rmse 0.1000")
            }
        }

        func apply(to folder: inout ALSFolder) throws {
            switch self {
            case .missingManifest: try folder.write(skipping: "manifest.json")
            case .missingItemFactors: try folder.write(skipping: "item_factors.csv")
            case .manifestNotJSON: try folder.write(manifestText: "{\"format\": ")
            case .wrongFormat: folder.manifest["format"] = "parquet-als"
            case .wrongVersion: folder.manifest["format_version"] = 2
            case .missingRegParam: folder.manifest["hyperparameters"] = ["rank": 2]
            case .wrongHeader: folder.userLines[0] = "user,bias,f0,f1"
            case .rankMismatch:
                folder.itemLines = ["id,bias,f0,f1,f2"] + folder.itemLines.dropFirst().map { $0 + ",0.5" }
            case .wrongColumnCount: folder.userLines[2] = "2,0.2,0.3"
            case .notANumber: folder.itemLines[1] = "10,0.2,0.8,abc"
            case .nanValue: folder.userLines[3] = "3,-0.3,nan,0.1"
            case .infiniteValue: folder.itemLines[4] = "40,inf,0.2,0.9"
            case .floatOverflow: folder.userLines[1] = "1,0.1,0.5,1e39"
            case .duplicatedUser:
                folder.userLines[4] = "3,0.05,0.0,0.7"
            case .userCountMismatch: folder.manifest["users"] = 5
            case .ratingCountMismatch: folder.ratingLines.removeLast()
            case .unknownUser:
                folder.userLines[4] = "9,0.05,0.0,0.7"
            case .missingUser:
                folder.userLines.removeLast()
                folder.manifest["users"] = 3
            case .unknownMovie:
                folder.itemLines.append("50,0.1,0.1,0.1")
                folder.manifest["items"] = 5
            case .trainingRMSEMismatch: folder.manifest["training_rmse"] = 0.1
            }
            if ![.missingManifest, .missingItemFactors, .manifestNotJSON].contains(self) { try folder.write() }
        }
    }

    @Test(arguments: BrokenInput.allCases)
    func aBrokenFolderFailsNamingTheFileAndPublishesNothing(_ input: BrokenInput) throws {
        var folder = ALSFolder()
        try input.apply(to: &folder)
        let expected = input.expected
        do {
            _ = try folder.importModel()
            Issue.record("\(input) was imported")
        } catch let error as ALSImportError {
            #expect(error.code == expected.code, "\(error)")
            #expect(error.file == folder.directory + "/" + expected.file || error.file.hasSuffix("/" + expected.file), "\(error)")
            #expect(error.description.hasPrefix(error.file + ": "))
            #expect(error.reason.contains(expected.reason), "\(error.reason)")
        }
        #expect(folder.publishedNames().isEmpty, "\(folder.publishedNames())")
    }

    @Test func aFailedImportLeavesTheCurrentGenerationInPlace() throws {
        var folder = ALSFolder()
        try folder.write()
        _ = try folder.importModel()
        folder.userLines[2] = "2,0.2,nan,0.4"
        try folder.write()
        #expect(throws: ALSImportError.self) { _ = try folder.importModel() }
        #expect(try folder.model().store.currentGeneration() == 1)
        #expect(folder.publishedNames().filter { $0.hasPrefix("model-") } == ["model-1.recmodel"])
    }

    @Test func theRatingsMayBeAFolderOfPartFilesAsSparkReadsThem() throws {
        let folder = ALSFolder()
        try folder.write()
        let parts = folder.root.file("data/parts")
        try FileManager.default.createDirectory(atPath: parts, withIntermediateDirectories: true)
        try (folder.ratingLines.prefix(5).joined(separator: "\n") + "\n").write(
            toFile: parts + "/part-00000", atomically: true, encoding: .utf8)
        try (folder.ratingLines.dropFirst(5).joined(separator: "\n") + "\n").write(
            toFile: parts + "/part-00001", atomically: true, encoding: .utf8)
        try "".write(toFile: parts + "/_SUCCESS", atomically: true, encoding: .utf8)
        let published = try folder.model().importALS(directory: folder.directory) { $0.datasetPath = parts }
        #expect(published.training.artifact.metadata.ratings == 12)
        #expect(abs(published.training.trainingRMSE - ALSFolder.trainingRMSE) < 1e-5)
        // The catalogue beside the folder.
        #expect(published.training.artifact.titles.contains("Gamma (1992)"))

        try "".write(toFile: parts + "/part-00002", atomically: true, encoding: .utf8)
        #expect(try folder.model().importALS(directory: folder.directory) { $0.datasetPath = parts }.generation == 2)
        try "1::10::x::1\n".write(toFile: parts + "/part-00001", atomically: true, encoding: .utf8)
        let error = #expect(throws: ALSImportError.self) {
            _ = try folder.model().importALS(directory: folder.directory) { $0.datasetPath = parts }
        }
        #expect(error?.code == .unreadableDataset && error?.file == parts)
        #expect(error?.reason.contains("part-00001:1:") == true, "\(String(describing: error))")
    }

    @Test func theDatasetDefaultsToTheManifestsSourceAndAMissingOneIsNamed() throws {
        var folder = ALSFolder()
        folder.manifest["source"] = folder.dataset
        try folder.write()
        let published = try folder.model().importALS(directory: folder.directory)
        #expect(published.training.artifact.metadata.dataset == folder.dataset)

        folder.manifest["source"] = "hdfs:///ratings"
        try folder.write()
        let error = #expect(throws: ALSImportError.self) { _ = try folder.model().importALS(directory: folder.directory) }
        #expect(error?.code == .unreadableDataset)
        #expect(error?.reason.contains("--dataset") == true)
    }
}
