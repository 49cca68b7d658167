import Foundation
import Testing
import RecCore

/// `rec-cli info` and the `model` object of `/api/info` describe how the lists are ranked.
struct ModelSummaryTests {
    @Test func showsTheRankingModelAsTheMetadataRecordsIt() throws {
        let fixture = try TrainedModelFixture.load()
        let model = try ModelStore(dataDirectory: fixture.dataDirectory).openCurrent(verifyContents: true)
        let recorded = try #require(try model.metadata().ranking)
        let ranking = try #require(try ModelSummary.json(of: model, evaluation: nil)["ranking"])

        let dropouts = try #require(ranking["new_person_dropouts"]?.array)
        #expect(dropouts.compactMap { $0.number.map(Float.init) } == recorded.newPersonDropouts)
        #expect(ranking["watch_weights_per_item"]?.integer == recorded.watchWeightsPerItem)
        #expect(ranking["fitted_on_validation"] == .bool(recorded.fittedOnValidation))
        #expect(
            ranking["known_user_model"]?["regularization"]?.number.map(Float.init) == recorded.knownUserModel.regularization)
        let newPersonBlends = try #require(ranking["blends"]?["new_person"]?.array)
        #expect(newPersonBlends.count == recorded.blends.newPerson.count)
        #expect(
            newPersonBlends.first?["rating_slope"]?.number.map(Float.init) == recorded.blends.newPerson.first?.ratingSlope)
    }

    @Test func isNullForAGenerationWithoutARankingModel() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("model-1.recmodel")
        try ModelFileWriter.write(ModelFileFixtures.artifact(seed: 7, hasRanking: false), toPath: path)
        let model = try LoadedModel.open(path: path, verifyContents: true)
        let summary = try ModelSummary.json(of: model, evaluation: nil)
        #expect(summary["ranking"] == .null)
        #expect(summary["algorithm"] == .string("svdpp"))
    }
}
