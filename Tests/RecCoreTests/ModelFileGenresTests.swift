import Foundation
import Testing
@testable import RecCore

/// The movies' genres in the model file (sections 26 and 27): written at training, read back
/// in place, and absent from generations written before they were stored, which still load
/// and serve with no genres.
struct ModelFileGenresTests {
    private func writeAndOpen(_ artifact: ModelArtifact, in folder: TemporaryDirectory) throws -> LoadedModel {
        let path = folder.file("model-1.recmodel")
        try ModelFileWriter.write(artifact, toPath: path)
        return try LoadedModel.open(path: path, verifyContents: true)
    }

    @Test func genresRoundTripThroughTheFile() throws {
        let folder = TemporaryDirectory()
        let artifact = ModelFileFixtures.artifact(seed: 31, itemCount: 10)
        let model = try writeAndOpen(artifact, in: folder)
        #expect(model.genres.isStored)
        for item in 0..<model.itemCount {
            #expect(model.genres.genres(ofItem: item) == artifact.genres![item], "item \(item)")
        }
        #expect(model.genres.genres(ofItem: 1) == ["Animation", "Children's", "Comedy"])
        #expect(model.genres.genres(ofItem: 3) == ["ドラマ"])
        #expect(model.genres.genres(ofItem: 5) == [], "a movie the catalogue lacks has none")
        #expect(model.genres.genres(ofItem: -1) == [] && model.genres.genres(ofItem: model.itemCount) == [])
        #expect(try model.artifact() == artifact)
    }

    @Test func aModelWithoutGenresHasNoGenreSections() throws {
        let folder = TemporaryDirectory()
        let artifact = ModelFileFixtures.artifact(seed: 32, hasGenres: false)
        let file = try ModelFileWriter.encode(artifact)
        let sectionCount = Int(file.load(UInt32.self, at: ModelFileLayout.HeaderField.sectionCount))
        let kinds = (0..<sectionCount).map { file.load(UInt32.self, at: ModelFileLayout.sectionEntryOffset($0)) }
        #expect(!kinds.contains(ModelFileSectionKind.genreOffsets.rawValue) && !kinds.contains(ModelFileSectionKind.genreBytes.rawValue))
        let model = try writeAndOpen(artifact, in: folder)
        #expect(!model.genres.isStored)
        #expect((0..<model.itemCount).allSatisfy { model.genres.genres(ofItem: $0).isEmpty })
        #expect(try model.artifact().genres == nil)
    }

    /// A file the writer of an earlier version committed (the fuzz corpus' seed, written before
    /// genres were stored) opens, validates and answers a search with empty genres.
    @Test func aGenerationWrittenBeforeGenresStillLoadsAndServes() throws {
        let path = FixturePaths.repositoryRoot + "/Tests/Fuzz/Corpus/ModelFile/seed-svdpp.recmodel"
        let model = try LoadedModel.open(path: path, verifyContents: true)
        #expect(!model.genres.isStored)
        let engine = RecommendationEngine(model: model)
        let title = model.titles[0]
        let found = try engine.searchMovies(title, limit: 3)
        #expect(found.first?.title == title, "\(found)")
        #expect(found.allSatisfy { $0.genres.isEmpty })

        let folder = ServingFixture()
        let response = folder.router().respond(
            to: API.get("/api/movies", query: "q=" + title.split(separator: " ").joined(separator: "+")),
            served: ServedModelSnapshot(engine: engine))
        #expect(response.status == 200, "\(response.text)")
        let movies = try #require(try response.json["movies"]?.array)
        #expect(!movies.isEmpty && movies.allSatisfy { $0["genres"] == .array([]) })
    }

    @Test func trainingStoresTheCatalogueGenres() throws {
        let trained = try TrainedModelFixture.load()
        let genres = try #require(trained.result.artifact.genres)
        let engine = try trained.engine()
        #expect(genres.count == engine.model.itemCount)
        let toyStory = try #require(engine.model.itemIndex(movieID: 1))
        #expect(engine.model.genres.genres(ofItem: toyStory) == ["Animation", "Children's", "Comedy"])
        let starWars = try #require(engine.model.itemIndex(movieID: 50))
        #expect(engine.model.genres.genres(ofItem: starWars) == ["Action", "Adventure", "Romance", "Sci-Fi", "War"])
    }
}
