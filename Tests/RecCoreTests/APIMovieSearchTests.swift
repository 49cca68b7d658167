import Foundation
import Testing
@testable import RecCore

/// `GET /api/movies` and its request parsing, through `APIRouter` without sockets.
struct APIMovieSearchTests {
    let fixture = ServingFixture()

    private func respond(_ request: APIRequest) throws -> APIResponse {
        fixture.router().respond(to: request, served: ServedModelSnapshot(engine: try TrainedModelFixture.load().engine()))
    }

    private func movies(_ response: APIResponse) throws -> [JSONValue] {
        try #require(try response.json["movies"]?.array, "\(response.text)")
    }

    @Test func answersTheContractShapeBestFirst() throws {
        let engine = try TrainedModelFixture.load().engine()
        let response = try respond(API.get("/api/movies", query: "q=star+wa"))
        #expect(response.status == 200, "\(response.text)")
        #expect(response.contentType == "application/json")
        #expect(try response.json["query"] == .string("star wa"))
        let movies = try movies(response)
        #expect(movies.count == RecommendationEngine.defaultMovieSearchLimit)
        let first = try #require(movies.first)
        guard case .object(let members) = first else { throw APIMovieSearchTestError.notAnObject }
        #expect(members.map(\.key) == ["id", "title", "year", "genres", "ratings"])
        #expect(first["id"] == .number(50))
        #expect(first["title"] == .string("Star Wars (1977)"))
        #expect(first["year"] == .number(1977))
        #expect(first["genres"] == .array(["Action", "Adventure", "Romance", "Sci-Fi", "War"].map { .string($0) }))
        let item = try #require(engine.model.itemIndex(movieID: 50))
        #expect(first["ratings"] == .number(Double(engine.model.itemRatingCounts[item])))
        // The same list as the engine's search.
        let expected = try engine.searchMovies("star wa")
        #expect(movies.compactMap { $0["id"]?.number }.map { Int32($0) } == expected.map(\.movieID))
        #expect(movies.map { $0["year"] ?? .null } == expected.map { $0.year.map { .number(Double($0)) } ?? .null })
    }

    @Test func takesALimitAndTrimsTheText() throws {
        #expect(try movies(respond(API.get("/api/movies", query: "q=star&limit=3"))).count == 3)
        #expect(try movies(respond(API.get("/api/movies", query: "q=star&limit=50"))).count == 50)
        let padded = try respond(API.get("/api/movies", query: "q=%20%20star%20wa%09&limit=1"))
        #expect(try padded.json["query"] == .string("star wa"))
        #expect(try movies(padded).first?["id"] == .number(50))
        let twice = try respond(API.get("/api/movies", query: "q=star&q=star&limit=2&limit=2"))
        #expect(twice.status == 200, "the same value twice is one value")
        let longest = String(repeating: "x", count: MovieSearchRequest.maximumQueryLength)
        #expect(try respond(API.get("/api/movies", query: "q=" + longest)).status == 200)
        let nothing = try respond(API.get("/api/movies", query: "q=xqzzv+blorf"))
        #expect(nothing.status == 200)
        #expect(try movies(nothing).isEmpty)
    }

    @Test(arguments: [
        ("", 400, "invalid_parameter"), ("limit=5", 400, "invalid_parameter"), ("q=", 400, "invalid_parameter"),
        ("q=%20%20%0A", 400, "invalid_parameter"), ("q=" + String(repeating: "x", count: 201), 400, "invalid_parameter"),
        ("q=a&q=b", 400, "invalid_parameter"), ("q=star&limit=ten", 400, "invalid_parameter"),
        ("q=star&limit=1.5", 400, "invalid_parameter"), ("q=star&limit=", 400, "invalid_parameter"),
        ("q=star&limit=5&limit=6", 400, "invalid_parameter"), ("q=star&limit=0", 422, "count_out_of_range"),
        ("q=star&limit=51", 422, "count_out_of_range"), ("q=star&limit=-3", 422, "count_out_of_range"),
        ("q=star&limit=99999999999999999999", 422, "count_out_of_range"),
    ])
    func refusesBadInputWithTheSharedErrorShape(query: String, status: Int, code: String) throws {
        let response = try respond(API.get("/api/movies", query: query, requestID: "req-9"))
        #expect(response.status == status, "\(query): \(response.text)")
        #expect(response.errorCode == code, "\(query)")
        let error = try response.json["error"]
        #expect(error?["request_id"]?.string == "req-9")
        #expect(error?["message"]?.string?.isEmpty == false)
    }

    @Test func takesGetAndHeadOnly() throws {
        #expect(try respond(APIRequest(method: "HEAD", path: "/api/movies", query: "q=star")).status == 200)
        for method in ["POST", "PUT", "DELETE"] {
            let response = try respond(APIRequest(method: method, path: "/api/movies", query: "q=star"))
            #expect(response.status == 405)
            #expect(response.errorCode == "method_not_allowed")
            #expect(response.header("Allow") == "GET, HEAD")
        }
        let options = try respond(APIRequest(method: "OPTIONS", path: "/api/movies"))
        #expect(options.status == 204)
        #expect(options.header("Allow") == "GET, HEAD, OPTIONS")
        #expect(try respond(API.get("/api/movies/", query: "q=star")).status == 200, "one trailing slash is accepted")
    }

    @Test func withoutAModelOrWithADamagedOneAnswers503() throws {
        let router = fixture.router()
        let none = router.respond(to: API.get("/api/movies", query: "q=star"), served: ServedModelSnapshot(engine: nil, problem: "none"))
        #expect(none.status == 503)
        #expect(none.errorCode == "no_model")
        let damaged = router.respond(
            to: API.get("/api/movies", query: "q=star"),
            served: ServedModelSnapshot(engine: try TrainedModelFixture.load().engine(), problem: "changed", isModelDamaged: true))
        #expect(damaged.status == 503)
        #expect(damaged.errorCode == "invalid_model")
        #expect(APIEndpoint.movies.readsServedModel, "an answer read while the file changed is withdrawn")
    }

    @Test func aGenerationWithoutGenresAnswersEmptyGenres() throws {
        let artifact = try CatalogueModelFixture.artifact.get()
        #expect(artifact.genres == nil)
        let generation = try fixture.publish(artifact)
        let engine = RecommendationEngine(model: try fixture.store.open(generation: generation))
        let response = fixture.router().respond(
            to: API.get("/api/movies", query: "q=star+wa&limit=4"), served: ServedModelSnapshot(engine: engine))
        #expect(response.status == 200, "\(response.text)")
        let movies = try movies(response)
        #expect(movies.compactMap { $0["id"]?.number }.map { Int32($0) } == [1196, 260, 1210, 2628], "by training ratings")
        #expect(movies.allSatisfy { $0["genres"] == .array([]) })
        #expect(movies.map { $0["year"] } == [1980, 1977, 1983, 1999].map { .number($0) })
    }

    @Test func parsesTheQueryString() throws {
        #expect(try MovieSearchRequest.parse(query: "q=toy+st") == MovieSearchRequest(text: "toy st", limit: 10))
        #expect(try MovieSearchRequest.parse(query: "limit=7&q=Am%C3%A9lie&other=1") == MovieSearchRequest(text: "Amélie", limit: 7))
        #expect(try MovieSearchRequest.checkedText("  Heat \n") == "Heat")
        #expect(throws: APIError.self) { try MovieSearchRequest.checkedText(" \t ") }
        let emoji = String(repeating: "😀", count: MovieSearchRequest.maximumQueryLength)
        #expect(try MovieSearchRequest.checkedText(emoji) == emoji, "characters, not bytes, are counted")
    }
}

private enum APIMovieSearchTestError: Error { case notAnObject }
