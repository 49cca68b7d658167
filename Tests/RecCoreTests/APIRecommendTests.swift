import Foundation
import Testing
@testable import RecCore

/// `GET /api/recommend` and the `rank` parameter of `/api/predict`, through `APIRouter`.
struct APIRecommendTests {
    let fixture = ServingFixture()

    private func respond(_ request: APIRequest) throws -> APIResponse {
        fixture.router().respond(to: request, served: ServedModelSnapshot(engine: try TrainedModelFixture.load().engine()))
    }

    private func titles(_ response: APIResponse) throws -> [String] {
        let lists = try #require(try response.json.array)
        return try #require(lists[0].array).map { try #require($0.string) }
    }

    @Test func recommendAnswersTheHomeworkShapeForATrainingUser() throws {
        let engine = try TrainedModelFixture.load().engine()
        let userID = engine.model.userIDs[3]
        let response = try respond(API.get("/api/recommend", query: "user_id=\(userID)&top=7"))
        #expect(response.status == 200, "\(response.text)")
        let lists = try #require(try response.json.array)
        let ratings = try #require(lists[1].array).map { try #require($0.number) }
        #expect(ratings.count == 7 && ratings == ratings.sorted(by: >))
        let expected = try engine.recommend(userID: userID, count: 7)
        #expect(try titles(response) == expected.map(\.title))
        #expect(try titles(respond(API.get("/api/recommend", query: "user_id=\(userID)"))).count == 20)
        let byRating = try respond(API.get("/api/recommend", query: "user_id=\(userID)&n=7&rank=rating"))
        #expect(try titles(byRating) == engine.recommend(userID: userID, count: 7, ranking: .rating).map(\.title))
        #expect(try respond(APIRequest(method: "HEAD", path: "/api/recommend", query: "user_id=\(userID)", requestID: "r")).status == 200)
    }

    @Test(arguments: [
        ("", 400, "invalid_parameter"),
        ("user_id=abc", 400, "invalid_parameter"),
        ("user_id=1.5", 400, "invalid_parameter"),
        ("user_id=99999999", 404, "unknown_user"),
        ("user_id=1&top=0", 422, "count_out_of_range"),
        ("user_id=1&top=1001", 422, "count_out_of_range"),
        ("user_id=1&top=ten", 400, "invalid_parameter"),
        ("user_id=1&top=5&n=6", 400, "invalid_parameter"),
        ("user_id=1&rank=best", 400, "invalid_parameter"),
    ])
    func recommendRefusesBadQueriesWithTheSharedErrorShape(query: String, status: Int, code: String) throws {
        let response = try respond(API.get("/api/recommend", query: query, requestID: "req-7"))
        #expect(response.status == status, "\(query): \(response.text)")
        #expect(response.errorCode == code, "\(query)")
        let error = try response.json["error"]
        #expect(error?["request_id"]?.string == "req-7")
        #expect(error?["message"]?.string?.isEmpty == false)
    }

    @Test func recommendTakesGetAndHeadOnly() throws {
        let response = try respond(API.post("/api/recommend", "{}", query: "user_id=1"))
        #expect(response.status == 405)
        #expect(response.headers.contains { $0.name == "Allow" && $0.value == "GET, HEAD" })
    }

    @Test func predictTakesTheRankingFromTheQueryOrTheBody() throws {
        let engine = try TrainedModelFixture.load().engine()
        let input: [(movie: MovieReference, rating: Double)] = [(.id(1), 5), (.id(50), 4)]
        let relevance = try engine.recommend(ratings: input, count: 10).map(\.title)
        let rating = try engine.recommend(ratings: input, count: 10, ranking: .rating).map(\.title)
        #expect(relevance != rating)
        #expect(try titles(respond(API.post("/api/predict", #"{"movies": [[1, 50], [5, 4]], "top": 10}"#))) == relevance)
        #expect(try titles(respond(API.post("/api/predict", #"[[1, 50], [5, 4]]"#, query: "top=10&rank=rating"))) == rating)
        #expect(try titles(respond(API.post("/api/predict", #"{"movies": [[1, 50], [5, 4]], "top": 10, "rank": "rating"}"#))) == rating)
        #expect(try titles(respond(API.post("/api/predict", #"[[1, 50], [5, 4]]"#, query: "top=10&rank=relevance"))) == relevance)
        let bad = try respond(API.post("/api/predict", #"[[1, 50], [5, 4]]"#, query: "rank=popular"))
        #expect(bad.status == 400 && bad.errorCode == "invalid_parameter")
        let wrongType = try respond(API.post("/api/predict", #"{"movies": [[1], [5]], "rank": 3}"#))
        #expect(wrongType.status == 400 && wrongType.errorCode == "invalid_shape")
    }
}
