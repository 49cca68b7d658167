import Foundation
import Testing
@testable import RecCore

struct MyRecModelTests {
    @Test func trainEvaluatePredictAndFindSimilarThroughTheFacade() throws {
        let directory = TemporaryDirectory()
        let model = MyRecModel(dataDirectory: DataDirectory(root: directory.path), logger: TrainedModelFixture.quietLogger)
        let fixture = TrainedModelFixture.options()
        let published = try model.train(dataset: fixture.datasetPath) { options in
            options = fixture
        }
        #expect(published.generation == 1)
        #expect(FileManager.default.fileExists(atPath: published.path))

        let metrics = try model.evaluate(dataset: FixturePaths.movieLens100kFolder + "/u1.test")
        #expect(metrics.rows == 20_000)
        #expect(metrics.generation == 1)
        #expect(metrics.rmse > 0.8 && metrics.rmse < 1.0)
        #expect(EvaluationRecord.load(in: model.dataDirectory) == metrics)
        // The model orders each user's movies better than chance.
        let ndcg = try #require(metrics.ndcgAt10), randomNDCG = try #require(metrics.randomNDCGAt10)
        #expect(ndcg > randomNDCG + 0.02)
        #expect(try #require(metrics.precisionAt10) > metrics.randomPrecisionAt10!)
        #expect(metrics.rankedUsers! > 400)

        let (movies, ratings) = try model.predict(([1, 50, 181], [5, 5, 4]), top: 10)
        #expect(movies.count == 10 && ratings.count == 10)
        #expect(Set(movies).isDisjoint(with: [1, 50, 181]))
        #expect(ratings == ratings.sorted(by: >))

        let (similarIDs, similarTitles) = try model.findSimilar(movieId: 50)
        #expect(similarIDs.count == 5 && similarTitles.count == 5)
        #expect(!similarIDs.contains(50))

        #expect(throws: QueryError.self) { _ = try model.predict(([1, 2], [5]), top: 5) }
    }

    @Test func warmupSwitchesToANewlyPublishedGeneration() throws {
        let directory = TemporaryDirectory()
        let model = MyRecModel(dataDirectory: DataDirectory(root: directory.path), logger: TrainedModelFixture.quietLogger)
        #expect(throws: ModelFileError.self) { try model.warmup() }
        let artifact = try TrainedModelFixture.load().result.artifact
        let store = model.store
        _ = try store.publish(artifact)
        #expect(try model.warmup().generation == 1)
        _ = try store.publish(artifact)
        #expect(try model.currentEngine().model.generation == 1)
        #expect(try model.warmup().generation == 2)
        #expect(try model.currentEngine().model.generation == 2)
    }
}
