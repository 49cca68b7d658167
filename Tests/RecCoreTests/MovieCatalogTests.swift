import Testing
@testable import RecCore

struct MovieCatalogTests {
    @Test func decodesLatin1TitlesAsUTF8() throws {
        let catalog = try MovieCatalog.load(path: FixturePaths.embeddedMoviesFile)
        #expect(catalog.movies.count == 3883)
        #expect(catalog.movie(id: 73)?.title == "Misérables, Les (1995)")
        #expect(catalog.movie(id: 1320)?.title == "Alien³ (1992)")
        #expect(catalog.movie(id: 1)?.genres == ["Animation", "Children's", "Comedy"])
    }

    @Test func keepsUTF8FilesAsTheyAre() throws {
        let bytes = Array("1::Misérables, Les (1995)::Drama\n".utf8)
        let catalog = try MovieCatalog.parse(bytes, fileName: "movies.dat")
        #expect(catalog.movies == [Movie(id: 1, title: "Misérables, Les (1995)", genres: ["Drama"])])
    }

    @Test func readsMovieLens100kItems() throws {
        let catalog = try MovieCatalog.load(path: FixturePaths.movieLens100kFolder + "/u.item")
        #expect(catalog.movies.count == 1682)
        #expect(catalog.movie(id: 1)?.title == "Toy Story (1995)")
        #expect(catalog.movie(id: 1)?.genres == ["Animation", "Children's", "Comedy"])
    }

    @Test func readsQuotedCSV() throws {
        let bytes = Array("movieId,title,genres\n1,\"American President, The (1995)\",Comedy|Drama\n".utf8)
        let catalog = try MovieCatalog.parse(bytes, fileName: "movies.csv")
        #expect(catalog.movies.first?.title == "American President, The (1995)")
        #expect(catalog.movies.first?.genres == ["Comedy", "Drama"])
    }

    @Test func reportsMalformedLine() {
        do {
            _ = try MovieCatalog.parse(Array("1::Toy Story (1995)::Comedy\nxyz::Heat::Drama\n".utf8), fileName: "movies.dat")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedLine)
            #expect(error.line == 2)
        }
    }

    @Test func locatesCatalogueNextToRatings() {
        #expect(MovieCatalog.locate(nextTo: FixturePaths.embeddedTrainingFile) == FixturePaths.repositoryRoot + "/dataset/movies.dat")
        #expect(MovieCatalog.locate(nextTo: FixturePaths.movieLens100kFolder + "/u1.base") == FixturePaths.movieLens100kFolder + "/u.item")
    }
}
