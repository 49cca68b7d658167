import Foundation
import Testing

/// The lists a person would check, through the real nginx and worker pool: a fan of one movie
/// gets its sequels, a known user never gets a movie they rated, and `rank=rating` is there for
/// whoever wants the old order.
@Suite(.serialized)
struct ServingRankingTests {
    static let stack = Result<ServingStack, any Error>(catching: { try ServingStack(workers: 2) })

    private var client: HTTPClient { get throws { try Self.stack.get().client } }

    /// The titles and ratings of a list answer, checking the homework's shape and order.
    private func list(_ response: HTTPResponse) throws -> (titles: [String], ratings: [Double]) {
        #expect(response.status == 200, "\(response.text)")
        let lists = try #require(try response.json() as? [[Any]], "\(response.text)")
        try #require(lists.count == 2)
        let titles = lists[0].compactMap { $0 as? String }
        let ratings = lists[1].compactMap { ($0 as? NSNumber)?.doubleValue }
        #expect(titles.count == ratings.count)
        #expect(ratings == ratings.sorted(by: >), "shown in descending order of the estimated rating")
        return (titles, ratings)
    }

    @Test func aStarWarsFanGetsTheSequels() throws {
        let (titles, _) = try list(
            client.sendJSON("POST", "/api/predict", #"{"movies": [["Star Wars: Episode IV - A New Hope"], [5]], "top": 10}"#))
        #expect(titles.count == 10)
        #expect(
            titles.contains("Star Wars: Episode V - The Empire Strikes Back (1980)")
                || titles.contains("Star Wars: Episode VI - Return of the Jedi (1983)"), "\(titles)")
        #expect(!titles.contains("Star Wars: Episode IV - A New Hope (1977)"))
    }

    @Test func aToyStoryFanGetsToyStory2() throws {
        let (titles, _) = try list(client.sendJSON("POST", "/api/predict", #"{"movies": [["Toy Story"], [5]], "top": 10}"#))
        #expect(titles.contains("Toy Story 2 (1999)"), "\(titles)")
        #expect(!titles.contains("Toy Story (1995)"))
    }

    @Test func theInputIsNeverRecommendedInEitherRanking() throws {
        let body =
            #"[["Toy Story", "Heat (1995)", "Fargo (1996)", "Star Wars: Episode IV - A New Hope", "Lord of the Rings"], [5, 4, 3, 5, 2]]"#
        let inputs: Set = [
            "Toy Story (1995)", "Heat (1995)", "Fargo (1996)", "Star Wars: Episode IV - A New Hope (1977)",
            "Lord of the Rings, The (1978)",
        ]
        for query in ["?top=1000", "?top=1000&rank=rating"] {
            let (titles, _) = try list(client.sendJSON("POST", "/api/predict" + query, body))
            #expect(titles.count == 1000)
            #expect(inputs.isDisjoint(with: titles), "\(query)")
        }
    }

    @Test func rankRatingGivesTheRatingModelsOrder() throws {
        let body = #"[["Toy Story"], [5]]"#
        let relevance = try list(client.sendJSON("POST", "/api/predict?top=20", body))
        let rating = try list(client.sendJSON("POST", "/api/predict?top=20&rank=rating", body))
        #expect(relevance.titles != rating.titles)
        #expect(rating.ratings.first! >= relevance.ratings.first!, "rating order starts from the highest estimate")
    }

    /// The titles user 1 rated in the committed training file.
    private static let firstUsersTrainingTitles: Set<String> = {
        let root = ServingStack.repositoryRoot + "/dataset/"
        let titles = (try? String(contentsOfFile: root + "movies.dat", encoding: .isoLatin1)) ?? ""
        var titleByID: [String: String] = [:]
        for line in titles.split(separator: "\n") {
            let fields = line.components(separatedBy: "::")
            if fields.count >= 2 { titleByID[fields[0]] = fields[1] }
        }
        let ratings = (try? String(contentsOfFile: root + "ratings_train.dat", encoding: .utf8)) ?? ""
        return Set(
            ratings.split(separator: "\n").compactMap { line -> String? in
                let fields = line.components(separatedBy: "::")
                return fields.first == "1" ? titleByID[fields[1]] : nil
            })
    }()

    @Test func aKnownUserNeverGetsAMovieTheyRated() throws {
        let rated = Self.firstUsersTrainingTitles
        try #require(rated.count > 20)
        for query in ["user_id=1&top=1000", "user_id=1&top=1000&rank=rating"] {
            let (titles, _) = try list(client.send("GET", "/api/recommend?" + query))
            #expect(titles.count == 1000)
            #expect(rated.isDisjoint(with: titles), "\(query): \(rated.intersection(titles))")
        }
        let (defaults, _) = try list(client.send("GET", "/api/recommend?user_id=42"))
        #expect(defaults.count == 20)
    }

    @Test(arguments: [
        ("user_id=abc", 400, "invalid_parameter"),
        ("top=5", 400, "invalid_parameter"),
        ("user_id=7777777", 404, "unknown_user"),
        ("user_id=1&top=0", 422, "count_out_of_range"),
        ("user_id=1&top=1001", 422, "count_out_of_range"),
    ])
    func recommendRefusesBadQueries(query: String, status: Int, code: String) throws {
        let response = try client.send("GET", "/api/recommend?" + query)
        #expect(response.status == status, "\(query): \(response.text)")
        let object = try #require(try response.json() as? [String: Any], "\(response.text)")
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == code)
        #expect(error["request_id"] as? String == response.headers["x-request-id"])
    }
}
