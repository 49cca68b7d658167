import Testing
@testable import RecCore

struct TrainingPipelineTests {
    @Test func theChosenCandidateIsTheBestOnValidationAndIsRefitOnEverything() throws {
        var options = TrainedModelFixture.options()
        options.searchHyperparameters = true
        options.hyperparameters = ["factors": 8, "epochs": 12]
        let result = try TrainingPipeline.train(options, logger: TrainedModelFixture.quietLogger)
        #expect(result.candidates.count == 3)
        let best = try #require(result.candidates.min { $0.validationRMSE < $1.validationRMSE })
        #expect(result.validationRMSE == best.validationRMSE)
        let chosen = result.artifact.metadata.hyperparameters
        #expect(chosen["factor_regularization"] == best.overrides["factor_regularization"])
        #expect(chosen["epochs"] == Double(best.bestEpoch))
        #expect(chosen["factors"] == 8)
        // Refit on every training rating, not on the 95 % that fitted the candidates.
        #expect(result.artifact.metadata.ratings == 80_000)
        #expect(result.artifact.metadata.validationFraction == 0.05)
    }

    @Test func theSameSeedReproducesTheModel() throws {
        let first = try TrainingPipeline.train(TrainedModelFixture.options(seed: 9), logger: TrainedModelFixture.quietLogger)
        let second = try TrainingPipeline.train(TrainedModelFixture.options(seed: 9), logger: TrainedModelFixture.quietLogger)
        #expect(first.artifact.itemFactors == second.artifact.itemFactors)
        #expect(first.artifact.userBiases == second.artifact.userBiases)
        #expect(first.validationRMSE == second.validationRMSE)
    }

    /// The Bayesian default validates and refits at the same time on two threads, one after
    /// the other on one; the chain does not depend on threads, so both give the same model.
    @Test func theBayesianDefaultGivesTheSameModelOverlappedOrInSequence() throws {
        var options = TrainedModelFixture.options(algorithm: .bayesianSVDPlusPlus)
        options.hyperparameters = ["factors": 8, "sweeps": 16, "burn_in": 4]
        options.searchHyperparameters = true
        let overlapped = try TrainingPipeline.train(options, logger: TrainedModelFixture.quietLogger)
        options.threadCount = 1
        let sequential = try TrainingPipeline.train(options, logger: TrainedModelFixture.quietLogger)
        #expect(overlapped.candidates.count == 1)
        #expect(overlapped.validationRMSE != nil && overlapped.validationRMSE == sequential.validationRMSE)
        #expect(overlapped.artifact.itemFactors == sequential.artifact.itemFactors)
        #expect(overlapped.artifact.userFactors == sequential.artifact.userFactors)
        #expect(overlapped.artifact.foldInFactorPenalties?.count == 8)
        #expect(overlapped.artifact.itemImplicitFactors != nil)
        #expect(overlapped.artifact.metadata.ratings == 80_000)
        #expect(overlapped.artifact.metadata.algorithm == "bayesian-svdpp")

        // Served from the model file, a new person is folded in with the learned prior.
        let directory = TemporaryDirectory()
        let store = ModelStore(dataDirectory: DataDirectory(root: directory.path))
        let engine = RecommendationEngine(model: try store.open(generation: try store.publish(overlapped.artifact).generation))
        #expect(engine.items.foldInFactorPenalties.map(Array.init) == overlapped.artifact.foldInFactorPenalties)
        #expect(engine.model.foldIn.priorRatingCount == 0)
        let recommendations = try engine.recommend(ratings: [(.id(50), 5), (.id(181), 4)], count: 5)
        #expect(recommendations.count == 5 && !recommendations.contains { $0.movieID == 50 || $0.movieID == 181 })
    }

    @Test func everyMovieOfTheCatalogueIsInTheModelWithItsTitle() throws {
        let artifact = try TrainedModelFixture.load().result.artifact
        #expect(artifact.itemCount == 1682)
        #expect(artifact.titles[0] == "Toy Story (1995)")
        #expect(artifact.itemRatingCounts.contains(0))
    }

    @Test func unknownHyperparametersAndBadFractionsAreRefusedBeforeLoading() {
        var options = TrainedModelFixture.options()
        options.hyperparameters = ["no_such_setting": 1]
        #expect(throws: TrainingError.self) { _ = try TrainingPipeline.train(options, logger: TrainedModelFixture.quietLogger) }
        options = TrainedModelFixture.options()
        options.validationFraction = 0.9
        #expect(throws: TrainingError.self) { _ = try TrainingPipeline.train(options, logger: TrainedModelFixture.quietLogger) }
    }

    @Test func aMalformedRatingsFileNamesTheLine() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ratings.dat")
        try Array("1::2::5\n1::3::x\n".utf8).write(to: path)
        do {
            _ = try TrainingPipeline.train(TrainingOptions(datasetPath: path), logger: TrainedModelFixture.quietLogger)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unreadableData)
            #expect(error.message.contains("ratings.dat:2:"))
        }
    }
}
