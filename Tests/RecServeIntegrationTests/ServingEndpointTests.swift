import Foundation
import Testing

/// Every endpoint through the real nginx and worker pool, with the SPEC's examples and its
/// error statuses. One stack serves the whole suite.
@Suite(.serialized)
struct ServingEndpointTests {
    static let stack = Result<ServingStack, any Error>(catching: { try ServingStack(workers: 2) })

    private var client: HTTPClient { get throws { try Self.stack.get().client } }

    /// The `[[first], [second]]` shape every list answer has.
    private func pair(_ response: HTTPResponse) throws -> ([Any], [Any]) {
        let lists = try #require(try response.json() as? [[Any]], "\(response.text)")
        try #require(lists.count == 2)
        #expect(lists[0].count == lists[1].count)
        return (lists[0], lists[1])
    }

    /// The `error` object of an error answer, after checking its shape and request id.
    private func error(_ response: HTTPResponse) throws -> [String: Any] {
        let object = try #require(try response.json() as? [String: Any], "\(response.text)")
        let error = try #require(object["error"] as? [String: Any], "\(response.text)")
        #expect((error["code"] as? String)?.isEmpty == false)
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(error["request_id"] as? String == response.headers["x-request-id"], "\(response.text)")
        return error
    }

    @Test func predictAnswersTheHomeworkShape() throws {
        let response = try client.sendJSON("POST", "/api/predict", #"[["Toy Story","Heat (1995)"],[5,4]]"#)
        #expect(response.status == 200, "\(response.text)")
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let (titles, ratings) = try pair(response)
        #expect(titles.count == 20)
        let values = ratings.compactMap { ($0 as? NSNumber)?.doubleValue }
        #expect(values.count == 20)
        #expect(values == values.sorted(by: >))
        #expect(values.allSatisfy { (1...5).contains($0) })
        let names = titles.compactMap { $0 as? String }
        #expect(!names.contains("Toy Story (1995)") && !names.contains("Heat (1995)"))
    }

    @Test(arguments: [
        (#"{"movies": [["Toy Story","Heat (1995)"],[5,4]], "top": 7}"#, "", 7),
        (#"{"data": [["Toy Story"],[5]], "M": 3}"#, "", 3),
        (#"{"movies_ratings": [[1, 6],[5,4]], "top_m": 4}"#, "", 4),
        (#"{"movies": [["Toy Story"],[5]], "n": 2}"#, "", 2),
        (#"[["Toy Story"],[5]]"#, "?top=6", 6),
    ])
    func predictAcceptsTheAliasesAndIds(body: String, query: String, count: Int) throws {
        let response = try client.sendJSON("POST", "/api/predict" + query, body)
        #expect(response.status == 200, "\(response.text)")
        let (titles, _) = try pair(response)
        #expect(titles.count == count)
        #expect(!titles.contains { $0 as? String == "Toy Story (1995)" })
    }

    @Test func similarResolvesTheSpecExampleAndAliases() throws {
        let response = try client.sendJSON("POST", "/api/similar", #"{"movie_name": "Lord of the Rings"}"#)
        #expect(response.status == 200, "\(response.text)")
        let (ids, titles) = try pair(response)
        #expect(ids.count == 5)
        #expect(!ids.contains { ($0 as? NSNumber)?.intValue == 2116 })
        #expect(titles.allSatisfy { $0 is String })

        for body in [
            #"{"movie_name": "Toy Story", "N": 3}"#, #"{"movie_name": "Toy Story", "top": 3}"#, #"{"movie_name": "Toy Story", "n": 3}"#,
        ] {
            let aliased = try client.sendJSON("POST", "/api/similar", body)
            #expect(aliased.status == 200, "\(aliased.text)")
            #expect(try pair(aliased).0.count == 3, "\(body)")
        }
        let get = try client.send("GET", "/api/similar?movie_name=Toy%20Story&n=4")
        #expect(get.status == 200, "\(get.text)")
        let (getIDs, _) = try pair(get)
        #expect(getIDs.count == 4)
        #expect(!getIDs.contains { ($0 as? NSNumber)?.intValue == 1 })
    }

    @Test func movieSearchFindsTheStarWarsFilmsForATitleBeingTyped() throws {
        let response = try client.send("GET", "/api/movies?q=star%20wa&limit=5")
        #expect(response.status == 200, "\(response.text)")
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        let body = try #require(try response.json() as? [String: Any], "\(response.text)")
        #expect(body["query"] as? String == "star wa")
        let movies = try #require(body["movies"] as? [[String: Any]])
        #expect(movies.count == 5)
        #expect(Set(movies.prefix(4).compactMap { $0["id"] as? Int }) == [260, 1196, 1210, 2628], "\(movies)")
        let episodeIV = try #require(movies.first { $0["id"] as? Int == 260 })
        #expect(episodeIV["title"] as? String == "Star Wars: Episode IV - A New Hope (1977)")
        #expect(episodeIV["year"] as? Int == 1977)
        #expect(episodeIV["genres"] as? [String] == ["Action", "Adventure", "Fantasy", "Sci-Fi"])
        #expect((episodeIV["ratings"] as? Int ?? 0) > 2000)
        let ratings = movies.prefix(4).compactMap { $0["ratings"] as? Int }
        #expect(ratings == ratings.sorted(by: >), "equal matches by ratings")

        let misspelt = try #require(try client.send("GET", "/api/movies?q=godfater").json() as? [String: Any])
        #expect((misspelt["movies"] as? [[String: Any]])?.first?["id"] as? Int == 858)
        let head = try client.send("HEAD", "/api/movies?q=star%20wa")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        let post = try client.sendJSON("POST", "/api/movies?q=star", "{}")
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET, HEAD")
        #expect(try error(post)["code"] as? String == "method_not_allowed")
    }

    /// The suggestions for a title that matches nothing are the movie search's first three.
    @Test func unknownTitlesAreSuggestedWhatTheMovieSearchFinds() throws {
        let response = try client.sendJSON("POST", "/api/predict", #"[["star wras"],[5]]"#)
        #expect(response.status == 422, "\(response.text)")
        let error = try error(response)
        #expect(error["code"] as? String == "unknown_movie")
        let suggestions = try #require((error["suggestions"] as? [String: [String]])?["star wras"], "\(response.text)")
        let search = try #require(try client.send("GET", "/api/movies?q=star%20wras&limit=3").json() as? [String: Any])
        let titles = (search["movies"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
        #expect(suggestions == titles)
        #expect(suggestions.count == 3 && suggestions.allSatisfy { $0.hasPrefix("Star Wars: Episode") }, "\(suggestions)")
    }

    @Test func healthInfoAndLogAnswer() throws {
        let health = try client.send("GET", "/api/health")
        #expect(health.status == 200)
        let healthObject = try #require(try health.json() as? [String: Any])
        #expect(healthObject["status"] as? String == "ok")
        #expect((healthObject["generation"] as? NSNumber)?.intValue == 2)

        let info = try #require(try client.send("GET", "/api/info").json() as? [String: Any])
        #expect(info["credentials"] is [String: Any])
        let service = try #require(info["service"] as? [String: Any])
        for field in ["version", "git_sha", "build_date", "started_at", "workers", "pid"] {
            #expect(service[field] != nil, "service.\(field)")
        }
        let model = try #require(info["model"] as? [String: Any])
        for field in ["generation", "algorithm", "trained_at", "training_seconds", "dataset", "ratings", "hyperparameters", "metrics"] {
            #expect(model[field] != nil, "model.\(field)")
        }

        let log = try client.send("GET", "/api/log?lines=5")
        #expect(log.status == 200)
        let lines = try #require(try log.json() as? [String])
        #expect(lines.count == 5)
        let download = try client.send("GET", "/api/log/download")
        #expect(download.status == 200)
        #expect(download.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(download.headers["content-disposition"]?.contains("attachment") == true)
        #expect(download.text.contains(lines.last ?? "-"))
    }

    @Test(arguments: [
        ("POST", "/api/predict", #"[["Toy Story"],[5]"#, 400),
        ("POST", "/api/predict", #"{"movies": "Toy Story"}"#, 400),
        ("POST", "/api/predict", #"[["Toy Story","Heat (1995)"],[5]]"#, 400),
        ("POST", "/api/predict", #"[["Toy Story"],[7]]"#, 422),
        ("POST", "/api/predict", #"[["Toy Story"],[NaN]]"#, 400),
        ("POST", "/api/predict", #"{"movies": [["Toy Story"],[5]], "top": 0}"#, 422),
        ("POST", "/api/similar", #"{"movie_name": "Toy Story", "n": 101}"#, 422),
        ("POST", "/api/similar", #"{"n": 3}"#, 400),
        ("GET", "/api/predict", "", 405),
        ("DELETE", "/api/similar", "", 405),
        ("GET", "/api/nothing-here", "", 404),
        ("GET", "/api/movies", "", 400),
        ("GET", "/api/movies?q=%20", "", 400),
        ("GET", "/api/movies?q=star&limit=ten", "", 400),
        ("GET", "/api/movies?q=star&limit=51", "", 422),
        ("DELETE", "/api/movies?q=star", "", 405),
    ])
    func badInputsGetTheSpecStatusAndErrorShape(method: String, path: String, body: String, status: Int) throws {
        let response = try client.sendJSON(method, path, body)
        #expect(response.status == status, "\(method) \(path) \(body): \(response.text)")
        _ = try error(response)
    }

    @Test func unknownTitlesComeBackWithSuggestions() throws {
        let response = try client.sendJSON("POST", "/api/predict", #"[["Toy Stroy","Qwzxv Plorb"],[5,4]]"#)
        // "Toy Stroy" is close enough to resolve; the nonsense title is not.
        #expect(response.status == 422, "\(response.text)")
        let error = try error(response)
        let unknown = try #require(error["unknown"] as? [String])
        #expect(unknown == ["Qwzxv Plorb"])
        #expect(error["suggestions"] != nil)
    }

    @Test func aBodyOverTheLimitIsRefusedWith413() throws {
        let body = "[[" + String(repeating: "\"Toy Story\",", count: 90_000) + "\"Heat\"],[5]]"
        let response = try client.sendJSON("POST", "/api/predict", body)
        #expect(response.status == 413, "\(response.text)")
        _ = try error(response)
    }

    /// Every answer carries `nosniff` and `no-store`; nginx's own errors, the 414 of a URL over
    /// 8 KiB and the 400 of a header over 8 KiB included, come in the API's JSON error shape.
    @Test func nginxErrorsAreJSONAndEveryAnswerHasTheSecurityHeaders() throws {
        let ok = try client.send("GET", "/api/health")
        let longURL = try client.send("GET", "/api/health?" + String(repeating: "a", count: 17_000))
        let bigHeader = try client.send("GET", "/api/health", headers: ["X-Big": String(repeating: "b", count: 9_000)])
        let workerError = try client.sendJSON("POST", "/api/predict", #"[["Toy Story"],[7]]"#)
        #expect(longURL.status == 414)
        #expect(bigHeader.status == 400)
        for response in [ok, longURL, bigHeader, workerError] {
            #expect(response.headers["x-content-type-options"] == "nosniff", "\(response.status)")
            #expect(response.headers["cache-control"] == "no-store", "\(response.status)")
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(response.status)")
        }
        #expect(try error(longURL)["code"] as? String == "uri_too_long")
        #expect(try error(bigHeader)["code"] as? String == "header_too_large")
    }

    /// One client holding hundreds of connections with bodies that never arrive cannot take
    /// the stack: past the per-client limit nginx answers 429 in JSON, and once they go, the
    /// client is served again.
    @Test func oneClientCannotHoldMoreThanItsShareOfConnections() throws {
        var slow: [Int32] = []
        defer { slow.forEach { close($0) } }
        for _ in 0..<300 {
            let descriptor = try client.connect()
            let head = "POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\nContent-Type: application/json\r\n\r\n["
            _ = head.withCString { write(descriptor, $0, strlen($0)) }
            slow.append(descriptor)
        }
        usleep(200_000)
        let refused = try client.send("GET", "/api/health")
        #expect(refused.status == 429, "\(refused.text)")
        #expect(try error(refused)["code"] as? String == "too_many_requests")
        slow.forEach { close($0) }
        slow = []
        // nginx releases a connection's limit_conn slot only once it has read the close, which
        // on a busy machine can take longer than any fixed pause: the client must be served
        // again within 10 s.
        try Self.stack.get().waitUntilHealthy(timeoutSeconds: 10)
    }
}
