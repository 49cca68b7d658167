import Logging
@testable import RecCore

/// A small model trained once on MovieLens-100k's u1.base (with its catalogue) and published
/// to a temporary data folder, shared by the engine and façade tests.
struct TrainedModelFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    let dataDirectory: DataDirectory
    let result: TrainingResult
    let generation: Int

    /// Training options small enough for a quick test run.
    static func options(algorithm: ModelAlgorithm = .mf, seed: UInt64 = 42) -> TrainingOptions {
        TrainingOptions(
            datasetPath: FixturePaths.movieLens100kFolder + "/u1.base", algorithm: algorithm,
            hyperparameters: ["factors": 16, "epochs": 20], seed: seed, searchHyperparameters: false, threadCount: 2)
    }

    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func load() throws -> TrainedModelFixture { try shared.get() }

    private static let shared = Result { () throws -> TrainedModelFixture in
        let directory = TemporaryDirectory.forTestRun()
        let dataDirectory = DataDirectory(root: directory.path)
        let result = try TrainingPipeline.train(options(), logger: quietLogger)
        let generation = try ModelStore(dataDirectory: dataDirectory).publish(result.artifact).generation
        return TrainedModelFixture(directory: directory, dataDirectory: dataDirectory, result: result, generation: generation)
    }

    /// An engine over the published generation.
    func engine() throws -> RecommendationEngine {
        RecommendationEngine(model: try ModelStore(dataDirectory: dataDirectory).openCurrent(verifyContents: true))
    }
}
