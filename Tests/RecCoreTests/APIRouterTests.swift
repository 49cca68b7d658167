import Foundation
import Testing
@testable import RecCore

/// Every endpoint and every error status of the HTTP API, through `APIRouter` without sockets.
struct APIRouterTests {
    let fixture = ServingFixture()

    private func served() throws -> ServedModelSnapshot {
        ServedModelSnapshot(engine: try TrainedModelFixture.load().engine())
    }

    private func respond(_ request: APIRequest, adminToken: String? = nil) throws -> APIResponse {
        fixture.router(adminToken: adminToken).respond(to: request, served: try served())
    }

    /// The `[[titles], [ratings]]` of a predict answer.
    private func recommendations(_ response: APIResponse) throws -> (titles: [String], ratings: [Double]) {
        let lists = try #require(try response.json.array)
        #expect(lists.count == 2)
        let titles = try #require(lists[0].array).map { try #require($0.string) }
        let ratings = try #require(lists[1].array).map { try #require($0.number) }
        return (titles, ratings)
    }

    // MARK: POST /api/predict

    @Test func predictAnswersTheBareHomeworkBodyBestFirst() throws {
        let response = try respond(API.post("/api/predict", #"[["Toy Story", "Star Wars (1977)", "Heat (1995)"], [5, 5, 4]]"#))
        #expect(response.status == 200)
        #expect(response.contentType == "application/json")
        #expect(response.failure == nil)
        let (titles, ratings) = try recommendations(response)
        #expect(titles.count == 20 && ratings.count == 20)
        #expect(ratings == ratings.sorted(by: >))
        #expect(ratings.allSatisfy { (1...5).contains($0) && ($0 * 10_000).rounded() / 10_000 == $0 }, "at most four decimals")
        #expect(Set(titles).isDisjoint(with: ["Toy Story (1995)", "Star Wars (1977)", "Heat (1995)"]))

        let engine = try TrainedModelFixture.load().engine()
        let expected = try engine.recommend(
            ratings: [(.title("Toy Story"), 5), (.title("Star Wars (1977)"), 5), (.title("Heat (1995)"), 4)], count: 20)
        #expect(titles == expected.map(\.title))
        #expect(ratings == expected.map { RatingRounding.fourDecimals($0.rating) })
    }

    @Test(arguments: PredictRequest.listNames, PredictRequest.countNames)
    func predictAcceptsEveryAliasOfTheListAndOfM(listName: String, countName: String) throws {
        let response = try respond(API.post("/api/predict", #"{"\#(listName)": [["Toy Story", 50], [5, 4]], "\#(countName)": 7}"#))
        #expect(response.status == 200, "\(response.text)")
        let (titles, _) = try recommendations(response)
        #expect(titles.count == 7)
        #expect(!titles.contains("Toy Story (1995)") && !titles.contains("Star Wars (1977)"))
    }

    @Test func predictTakesMFromTheQueryUnlessTheBodyGivesIt() throws {
        let bare = try respond(API.post("/api/predict", #"[[1, 50], [5, 4]]"#, query: "top=3"))
        #expect(try recommendations(bare).titles.count == 3)
        let aliased = try respond(API.post("/api/predict", #"{"movies": [[1, 50], [5, 4]]}"#, query: "M=4&unrelated=x"))
        #expect(try recommendations(aliased).titles.count == 4)
        let both = try respond(API.post("/api/predict", #"{"movies": [[1, 50], [5, 4]], "top": 6}"#, query: "top=3"))
        #expect(try recommendations(both).titles.count == 6)
        let defaulted = try respond(API.post("/api/predict", #"{"movies": [[1, 50], [5, 4]], "top": null}"#))
        #expect(try recommendations(defaulted).titles.count == PredictRequest.defaultCount)
    }

    @Test(arguments: [
        "", "   ", "[[\"Toy Story\"], [5]", "{\"movies\": [[\"Toy Story\"], [5]],}", "[[\"Toy Story\"], [NaN]]",
        "[[\"Toy Story\"], [Infinity]]", "[[\"Toy Story\"], [1e999]]", "\u{FF}",
    ])
    func predictRefusesMalformedJSON(_ body: String) throws {
        let response = try respond(API.post("/api/predict", body, requestID: "req-7"))
        #expect(response.status == 400)
        let error = try #require(try response.json["error"])
        #expect(error["code"] == .string("malformed_json"))
        #expect(error["request_id"] == .string("req-7"))
        #expect(error["message"]?.string?.isEmpty == false)
        #expect(response.failure == nil)
    }

    @Test(arguments: [
        (#"{}"#, "invalid_shape"), (#"[1, 2]"#, "invalid_shape"), (#"[[1], [2], [3]]"#, "invalid_shape"),
        (#""Toy Story""#, "invalid_shape"), (#"{"movies": "Toy Story"}"#, "invalid_shape"), (#"[["Toy Story"], ["5"]]"#, "invalid_shape"),
        (#"[[true], [5]]"#, "invalid_shape"), (#"[[1.5], [5]]"#, "invalid_shape"),
        (#"{"movies": [[1], [5]], "top": "10"}"#, "invalid_shape"),
        (#"{"movies": [[1], [5]], "top": 2.5}"#, "invalid_shape"), (#"{"movies": [[1], [5]], "top": 5, "n": 6}"#, "invalid_shape"),
        (#"{"movies": [[1], [5]], "data": [[2], [4]]}"#, "invalid_shape"), (#"[["Toy Story", "Heat"], [5]]"#, "mismatched_lengths"),
    ])
    func predictRefusesTheWrongShapeWith400(body: String, code: String) throws {
        let response = try respond(API.post("/api/predict", body))
        #expect(response.status == 400, "\(body): \(response.text)")
        #expect(response.errorCode == code, "\(body)")
    }

    @Test(arguments: [
        ("top=ten", 400, "invalid_parameter"), ("top=5&n=6", 400, "invalid_parameter"), ("top=0", 422, "count_out_of_range"),
        ("top=1001", 422, "count_out_of_range"), ("top=99999999999999999999", 422, "count_out_of_range"),
    ])
    func predictChecksMInTheQuery(query: String, status: Int, code: String) throws {
        let response = try respond(API.post("/api/predict", #"[[1], [5]]"#, query: query))
        #expect(response.status == status, "\(query)")
        #expect(response.errorCode == code, "\(query)")
    }

    @Test(arguments: [#"[[1], [0]]"#, #"[[1], [5.5]]"#, #"[[1, 50], [4, -1]]"#, #"[[1], [0.999]]"#])
    func predictRefusesRatingsOutsideOneToFiveWith422(_ body: String) throws {
        let response = try respond(API.post("/api/predict", body))
        #expect(response.status == 422)
        #expect(response.errorCode == "invalid_rating")
    }

    @Test(arguments: [
        #"{"movies": [[1], [5]], "top": 0}"#, #"{"movies": [[1], [5]], "M": 1001}"#, #"{"movies": [[1], [5]], "n": -3}"#,
        #"{"movies": [[1], [5]], "top_m": 1e300}"#,
    ])
    func predictRefusesMOutOfRangeWith422(_ body: String) throws {
        let response = try respond(API.post("/api/predict", body))
        #expect(response.status == 422)
        #expect(response.errorCode == "count_out_of_range")
    }

    /// An attacker's 64 KiB of unknown titles is refused as soon as the list passes the movie
    /// limit: the error names the byte where parsing stopped, well before the body's end.
    @Test func predictRefusesABodyOverTheMovieLimitWhereTheListCrossesIt() throws {
        let request = APIRouterBenchmark.overLimitPredict()
        let response = try respond(request)
        #expect(response.status == 422)
        #expect(response.errorCode == "too_many_movies")
        let message = try #require(try response.json["error"]?["message"]?.string)
        let offset = try #require(message.split(separator: "byte ").last.flatMap { Int($0.prefix { $0.isNumber }) })
        #expect(offset < request.body.count / 5, "parsing stopped at byte \(offset) of \(request.body.count)")
        let limit = RecommendationEngine.ratedMovieLimit
        let atLimit =
            "[[" + (0..<limit).map { "\($0 + 1)" }.joined(separator: ",") + "],["
            + Array(repeating: "4", count: limit).joined(separator: ",") + "]]"
        #expect(try respond(API.post("/api/predict", atLimit)).status == 200)
    }

    @Test func predictRefusesAnEmptyListWith422() throws {
        let response = try respond(API.post("/api/predict", #"[[], []]"#))
        #expect(response.status == 422)
        #expect(response.errorCode == "empty_input")
    }

    @Test func unknownTitlesListEveryOneWithUpToThreeSuggestions() throws {
        let body = #"[["Toy Stroy Zzzz Qqq", "Star Wars (1977)", "xqzzv blorf", 999999], [5, 4, 3, 2]]"#
        let response = try respond(API.post("/api/predict", body, requestID: "req-42"))
        #expect(response.status == 422)
        let error = try #require(try response.json["error"])
        #expect(error["code"] == .string("unknown_movie"))
        #expect(error["request_id"] == .string("req-42"))
        #expect(error["unknown"] == .array([.string("Toy Stroy Zzzz Qqq"), .string("xqzzv blorf"), .string("999999")]))
        guard case .object(let suggestions)? = error["suggestions"] else {
            Issue.record("suggestions must be an object keyed by the unknown title")
            return
        }
        #expect(suggestions.map(\.key) == ["Toy Stroy Zzzz Qqq", "xqzzv blorf", "999999"])
        for (_, titles) in suggestions {
            let list = try #require(titles.array)
            #expect(list.count <= 3 && list.allSatisfy { $0.string != nil })
        }
        #expect(suggestions[0].value.array?.contains(.string("Toy Story (1995)")) == true)
        #expect(suggestions[2].value == .array([]), "an unknown id has nothing to suggest")
    }

    // MARK: /api/similar

    /// The `[[ids], [titles]]` of a similar answer.
    private func similarMovies(_ response: APIResponse) throws -> (ids: [Int], titles: [String]) {
        let lists = try #require(try response.json.array)
        #expect(lists.count == 2)
        return (try #require(lists[0].array).map { try #require($0.integer) }, try #require(lists[1].array).map { try #require($0.string) })
    }

    @Test func similarAnswersIdsAndTitlesMostSimilarFirst() throws {
        let response = try respond(API.post("/api/similar", #"{"movie_name": "Star Wars (1977)"}"#))
        #expect(response.status == 200)
        let (ids, titles) = try similarMovies(response)
        #expect(ids.count == 5 && titles.count == 5)
        #expect(!ids.contains(50))
        let expected = try TrainedModelFixture.load().engine().similar(to: .title("Star Wars (1977)"), count: 5)
        #expect(ids == expected.map { Int($0.movieID) })
        #expect(titles == expected.map(\.title))
    }

    @Test func similarTakesTheCountAliasesTheQueryAndIds() throws {
        for name in SimilarRequest.countNames {
            let response = try respond(API.post("/api/similar", #"{"movie_name": "Toy Story", "\#(name)": 3}"#))
            #expect(try similarMovies(response).ids.count == 3, "\(name)")
        }
        let viaGet = try respond(API.get("/api/similar", query: "movie_name=Star+Wars%20%281977%29&n=4"))
        #expect(viaGet.status == 200)
        let (ids, _) = try similarMovies(viaGet)
        #expect(ids.count == 4 && !ids.contains(50))
        let byID = try respond(API.post("/api/similar", #"{"movie_name": 50, "N": 2}"#))
        #expect(try similarMovies(byID).ids == Array(ids.prefix(2)))
        let byIDParameter = try respond(API.get("/api/similar", query: "movie_id=50&top=2"))
        #expect(try similarMovies(byIDParameter).ids == Array(ids.prefix(2)))
        let bodyWithQueryCount = try respond(API.post("/api/similar", #"{"movie_name": "Star Wars (1977)"}"#, query: "n=1"))
        #expect(try similarMovies(bodyWithQueryCount).ids == [ids[0]])
        let headOnly = try respond(APIRequest(method: "HEAD", path: "/api/similar", query: "movie_name=Toy+Story"))
        #expect(headOnly.status == 200)
    }

    @Test(arguments: [
        (#"{"n": 5}"#, "", 400, "invalid_shape"), (#"["Toy Story"]"#, "", 400, "invalid_shape"),
        (#"{"movie_name": ""}"#, "", 400, "invalid_shape"),
        (#"{"movie_name": true}"#, "", 400, "invalid_shape"), (#"{"movie_name": "Toy Story""#, "", 400, "malformed_json"),
        (#"{"movie_name": "Toy Story", "n": 0}"#, "", 422, "count_out_of_range"),
        (#"{"movie_name": "Toy Story", "n": 101}"#, "", 422, "count_out_of_range"),
        (#"{"movie_name": "Toy Story", "n": 2.5}"#, "", 400, "invalid_shape"), ("", "movie_name=Toy+Story&n=x", 400, "invalid_parameter"),
        ("", "", 400, "invalid_shape"), ("", "movie_id=abc", 400, "invalid_parameter"),
        (#"{"movie_name": "qqqq zzzz xxxx"}"#, "", 422, "unknown_movie"),
    ])
    func similarRefusesBadRequests(body: String, query: String, status: Int, code: String) throws {
        let response = try respond(API.post("/api/similar", body, query: query))
        #expect(response.status == status, "\(body) \(query): \(response.text)")
        #expect(response.errorCode == code, "\(body) \(query)")
    }

    @Test func theSpecExamplesResolveOnTheMovieLensCatalogue() throws {
        let generation = try fixture.publish(CatalogueModelFixture.artifact.get())
        let engine = RecommendationEngine(model: try fixture.store.open(generation: generation))
        let router = fixture.router()
        let similar = router.respond(
            to: API.post("/api/similar", #"{"movie_name": "Lord of the Rings", "n": 5}"#),
            served: ServedModelSnapshot(engine: engine))
        #expect(similar.status == 200, "\(similar.text)")
        let (ids, titles) = try similarMovies(similar)
        #expect(ids.count == 5 && titles.count == 5)
        #expect(!ids.contains(2116), "Lord of the Rings, The (1978) is movie 2116 and never its own neighbour")

        let predict = router.respond(
            to: API.post("/api/predict", #"[["Lord of the Rings", "toy story", "Mad Max 2 (a.k.a. The Road Warrior)"], [5, 4, 3]]"#),
            served: ServedModelSnapshot(engine: engine))
        #expect(predict.status == 200, "\(predict.text)")
        let recommended = try recommendations(predict).titles
        #expect(recommended.count == 20)
        #expect(
            Set(recommended).isDisjoint(with: [
                "Lord of the Rings, The (1978)", "Toy Story (1995)", "Mad Max 2 (a.k.a. The Road Warrior) (1981)",
            ]))
    }

    // MARK: Limits, methods and paths

    @Test func aBodyOver64KiBIsRefusedWith413() throws {
        let megabyte = "[[\"" + String(repeating: "x", count: 1_000_000) + "\"], [5]]"
        for path in ["/api/predict", "/api/similar"] {
            let response = try respond(API.post(path, megabyte))
            #expect(response.status == 413)
            #expect(response.errorCode == "body_too_large")
        }
        let limit = try respond(API.post("/api/predict", #"[[1], [5]]"# + String(repeating: " ", count: APIRouter.maximumBodyBytes - 10)))
        #expect(limit.status == 200, "exactly 64 KiB is allowed")
    }

    @Test(arguments: [
        ("GET", "/api/predict", "POST"), ("PUT", "/api/similar", "GET, HEAD, POST"), ("POST", "/api/health", "GET, HEAD"),
        ("DELETE", "/api/log", "GET, HEAD"), ("POST", "/api/info", "GET, HEAD"), ("HEAD", "/api/reload", "GET, POST"),
    ])
    func theWrongMethodIsRefusedWith405AndAllow(method: String, path: String, allow: String) throws {
        let response = try respond(APIRequest(method: method, path: path))
        #expect(response.status == 405)
        #expect(response.errorCode == "method_not_allowed")
        #expect(response.header("Allow") == allow)
    }

    @Test(arguments: ["/api/nope", "/", "/api", "/api/", "/api/predict/extra", "/API/PREDICT", "/api/log/"])
    func unknownPathsAreRefusedWith404(_ path: String) throws {
        let response = try respond(API.get(path))
        if path == "/api/log/" {
            #expect(response.status == 200, "one trailing slash is accepted")
        } else {
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
        }
    }

    @Test func optionsListsTheMethods() throws {
        let response = try respond(APIRequest(method: "OPTIONS", path: "/api/similar"))
        #expect(response.status == 204)
        #expect(response.header("allow") == "GET, HEAD, POST, OPTIONS")
    }

    // MARK: No model

    @Test func withoutAModelPredictSimilarAndHealthAnswer503WithTheCause() throws {
        let router = fixture.router()
        let served = ServedModelSnapshot(engine: nil, problem: "nothing published")
        for request in [API.post("/api/predict", #"[[1], [5]]"#), API.post("/api/similar", #"{"movie_name": "Toy Story"}"#)] {
            let response = router.respond(to: request, served: served)
            #expect(response.status == 503)
            #expect(response.errorCode == "no_model")
            #expect(response.failure?.contains("nothing published") == true)
        }
        let health = router.respond(to: API.get("/api/health"), served: served)
        #expect(health.status == 503)
        #expect(try health.json == .object([("status", .string("unavailable")), ("generation", .null)]))
        #expect(health.failure?.contains("nothing published") == true)
        let info = router.respond(to: API.get("/api/info"), served: served)
        #expect(info.status == 200)
        #expect(try info.json["model"] == .null)
        #expect(
            router.respond(to: API.post("/api/predict", "{"), served: served).status == 400, "a malformed body is the client's fault first")
    }

    // MARK: Health, info and log

    @Test func healthNamesTheServedGeneration() throws {
        let response = try respond(API.get("/api/health"))
        #expect(response.status == 200)
        #expect(
            try response.json
                == .object([("status", .string("ok")), ("generation", .number(Double(TrainedModelFixture.load().generation)))]))
    }

    @Test func infoHasCredentialsServiceAndModel() throws {
        let response = try respond(API.get("/api/info"))
        #expect(response.status == 200)
        let info = try response.json
        #expect(info["credentials"] == ServiceCredentials.builtIn)
        #expect(info["credentials"]?["authors"]?.array?.first?["name"] == .string("RecServe maintainers"))
        let service = try #require(info["service"])
        #expect(service == ServingFixture.service.json)
        for key in ["version", "git_sha", "build_date", "started_at", "workers", "pid"] { #expect(service[key] != nil, "\(key)") }
        let model = try #require(info["model"])
        #expect(model["generation"]?.integer == (try TrainedModelFixture.load().generation))
        #expect(model["algorithm"] == .string("mf"))
        for key in ["trained_at", "training_seconds", "dataset", "ratings", "hyperparameters"] { #expect(model[key] != nil, "\(key)") }
        for key in ["validation_rmse", "test_rmse", "evaluated_at"] { #expect(model["metrics"]?[key] != nil, "\(key)") }
    }

    @Test func logAnswersTheLastLinesOldestFirst() throws {
        let router = fixture.router()
        let served = try served()
        #expect(try router.respond(to: API.get("/api/log"), served: served).json == .array([]), "no log yet")
        try SystemCalls.makeDirectories(fixture.dataDirectory.root)
        let lines = (1...30).map { "line \($0) é" }
        try Array((lines.joined(separator: "\n") + "\n").utf8).write(to: fixture.dataDirectory.logFile)
        #expect(
            try router.respond(to: API.get("/api/log", query: "lines=3"), served: served).json
                == .array(["line 28 é", "line 29 é", "line 30 é"].map { .string($0) }))
        #expect(try router.respond(to: API.get("/api/log"), served: served).json.array?.count == 20)
        #expect(try router.respond(to: API.get("/api/log", query: "lines=1000"), served: served).json.array?.count == 30)
        for (query, status) in [
            ("lines=0", 422), ("lines=1001", 422), ("lines=-2", 422), ("lines=many", 400),
            ("lines=20&lines=30", 400),
        ] {
            #expect(router.respond(to: API.get("/api/log", query: query), served: served).status == status, "\(query)")
        }
    }

    @Test func logDownloadStreamsTheWholeFileAsAnAttachment() throws {
        let router = fixture.router()
        let missing = router.respond(to: API.get("/api/log/download"), served: try served())
        #expect(missing.status == 200 && missing.bodyFilePath == nil && missing.body.isEmpty)
        try SystemCalls.makeDirectories(fixture.dataDirectory.root)
        try Array("one\ntwo\n".utf8).write(to: fixture.dataDirectory.logFile)
        let response = router.respond(to: API.get("/api/log/download"), served: try served())
        #expect(response.status == 200)
        #expect(response.contentType == "text/plain; charset=utf-8")
        #expect(response.header("Content-Disposition") == #"attachment; filename="log_file.log""#)
        #expect(response.bodyFilePath == fixture.dataDirectory.logFile)
        #expect(response.body.isEmpty)
    }

    // MARK: Reload and the admin token

    @Test func reloadRequiresTheAdminTokenWhenOneIsSet() throws {
        try fixture.publish()
        let router = fixture.router(adminToken: "s3cret")
        let served = try served()
        let missing = router.respond(to: API.post("/api/reload", ""), served: served)
        #expect(missing.status == 401)
        #expect(missing.errorCode == "unauthorized")
        #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        // No header, and the empty one nginx forwards when the client sent none, both say what
        // is needed rather than that a token is wrong.
        for absent: String? in [nil, "", "  "] {
            var request = API.post("/api/reload", "")
            request.authorization = absent
            let text = router.respond(to: request, served: served).text
            #expect(text.contains("needs the admin token") && !text.contains("wrong"), "\(String(describing: absent)): \(text)")
        }
        var wrongToken = API.post("/api/reload", "")
        wrongToken.authorization = "Bearer nope"
        #expect(router.respond(to: wrongToken, served: served).text.contains("the admin token is wrong"))
        for wrong in ["Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret", "Bearer"] {
            var request = API.post("/api/reload", "")
            request.authorization = wrong
            #expect(router.respond(to: request, served: served).status == 401, "\(wrong)")
        }
        for right in ["Bearer s3cret", "bearer s3cret"] {
            var request = API.post("/api/reload", "")
            request.authorization = right
            let response = router.respond(to: request, served: served)
            #expect(response.status == 200, "\(right): \(response.text)")
        }
        let viaGet = router.respond(to: API.get("/api/reload", authorization: "Bearer s3cret"), served: served)
        #expect(viaGet.status == 200)
        #expect(
            fixture.router(adminToken: "").respond(to: API.post("/api/reload", ""), served: served).status == 200,
            "an empty REC_ADMIN_TOKEN leaves reload open")
    }

    @Test func theLogEndpointsNeedTheAdminTokenWhenOneIsSetAndTheOthersNever() throws {
        try fixture.publish()
        let served = try served()
        let guarded = fixture.router(adminToken: "s3cret")
        for (path, query) in [("/api/log", ""), ("/api/log/download", ""), ("/api/log", "lines=3")] {
            for method in ["GET", "HEAD"] {
                var request = API.get(path, query: query)
                request.method = method
                let refused = guarded.respond(to: request, served: served)
                #expect(refused.status == 401, "\(method) \(path) without the token")
                #expect(refused.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                request.authorization = "Bearer wrong"
                #expect(guarded.respond(to: request, served: served).status == 401, "\(method) \(path) with a wrong token")
                request.authorization = "Bearer s3cret"
                #expect(guarded.respond(to: request, served: served).status == 200, "\(method) \(path) with the token")
                request.authorization = nil
                #expect(fixture.router(adminToken: nil).respond(to: request, served: served).status == 200, "\(path) open without a token")
            }
        }
        // A bad parameter is not revealed to a caller without the token: 401 comes first.
        #expect(guarded.respond(to: API.get("/api/log", query: "lines=0"), served: served).status == 401)
        // Method checks still come first, so a 405 tells any caller what the endpoint takes.
        #expect(guarded.respond(to: API.post("/api/log", ""), served: served).status == 405)
        for endpoint in APIEndpoint.allCases where !endpoint.requiresAdminToken {
            var request = API.get(endpoint.path, query: endpoint == .movies ? "q=star" : endpoint == .recommend ? "user_id=1" : "")
            request.method = endpoint.allowedMethods[0]
            if request.method == "POST" { request.body = Array(#"[["Toy Story (1995)"], [5]]"#.utf8) }
            #expect(guarded.respond(to: request, served: served).status != 401, "\(endpoint.path) never needs the token")
        }
    }

    @Test func reloadFailuresMapToTheirStatuses() throws {
        let served = try served()
        func router(_ error: ReloadError) -> APIRouter {
            APIRouter(service: ServingFixture.service, credentials: .null, dataDirectory: fixture.dataDirectory, adminToken: nil) {
                .failure(error)
            }
        }
        let cases: [(ReloadError.Code, Int, String)] = [
            (.noModel, 503, "no_model"), (.invalidModel, 409, "invalid_model"),
            (.controlFileFailure, 500, "reload_failed"),
        ]
        for (code, status, apiCode) in cases {
            let response = router(ReloadError(code, "because \(code)")).respond(to: API.post("/api/reload", ""), served: served)
            #expect(response.status == status)
            #expect(response.errorCode == apiCode)
            #expect((response.failure != nil) == (status >= 500))
        }
    }

    @Test func queryParametersAreDecoded() throws {
        let parameters = URLQueryParameters("movie_name=Mis%C3%A9rables%2C+Les&n=3&flag&n=4&bad=%zz%4")
        #expect(try parameters.value("movie_name") == "Misérables, Les")
        #expect(throws: APIError.self, "n is given twice with different values") { try parameters.value("n") }
        #expect(try URLQueryParameters("n=3&n=3").value("n") == "3", "the same value twice is the same request")
        #expect(try parameters.value("flag") == "")
        #expect(try parameters.value("bad") == "%zz%4")
        #expect(try parameters.value("missing") == nil)
        #expect(throws: APIError.self) { try parameters.value(anyOf: ["n", "N"]) }
        #expect(try URLQueryParameters("N=2&x=1").value(anyOf: ["n", "N"])?.value == "2")
        #expect(URLQueryParameters("").pairs.isEmpty)
    }
}
