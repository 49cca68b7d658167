import RecModelFile
import RecSupport

/// Measures what the router costs per request on a loaded model, without sockets: the
/// figures `rec-cli bench` prints for `POST /api/predict`, `POST /api/similar` and
/// `GET /api/movies`.
///
/// Each measurement times single calls of `APIRouter.respond(to:served:)` (body parsing,
/// title matching, fold-in, scoring, ranking and JSON writing) and reports the median and the
/// mean, so the cost a worker adds on top of FastCGI and nginx can be compared with the
/// per-request budget.
public enum APIRouterBenchmark {
    /// The cost of one kind of request.
    public struct Figure: Sendable, Equatable {
        /// What was measured, for example `POST /api/predict (5 titles, top 20)`.
        public var name: String
        /// The request body sent.
        public var body: String
        /// The median time of one call, in seconds.
        public var medianSeconds: Double
        /// The mean time of one call, in seconds.
        public var meanSeconds: Double
        /// How many calls were timed.
        public var calls: Int
    }

    /// A benchmark request that was not answered with 200, so a broken setup cannot pass for a
    /// fast one.
    public struct UnexpectedAnswer: Error, Sendable, Equatable, CustomStringConvertible {
        /// The request's path.
        public var path: String
        /// The status it got.
        public var status: Int
        /// The body it got.
        public var body: String

        /// `POST /api/predict was answered with 503: {...}`.
        public var description: String { "the benchmark request to \(path) was answered with \(status): \(body)" }
    }

    /// The predict and similar requests measured on `model`: its five most-rated movies by
    /// title, rated 5, 4, 5, 3 and 4, top 20; and the most-rated movie's neighbours, n = 5.
    public static func requests(for model: LoadedModel) -> (predict: APIRequest, similar: APIRequest) {
        let popular = (0..<model.itemCount).sorted {
            (model.itemRatingCounts[$0], -$0) > (model.itemRatingCounts[$1], -$1)
        }.prefix(5)
        let titles = JSONValue.array(popular.map { .string(model.titles[$0]) })
        let ratings = JSONValue.array([5, 4, 5, 3, 4].prefix(popular.count).map { .number($0) })
        let predict = post(.array([titles, ratings]), to: .predict)
        let similarBody = JSONValue.object([("movie_name", .string(popular.first.map { model.titles[$0] } ?? "")), ("n", .number(5))])
        let similar = post(similarBody, to: .similar)
        return (predict, similar)
    }

    /// The movie searches measured, with the default limit of 10: a title being typed, whose
    /// many word matches fill the list, and a misspelling, whose three matches leave the rest
    /// to the fuzzy fallback.
    public static let movieSearchQueries = ["star wa", "godfater"]

    /// The `GET /api/movies` request for `text`, as the benchmark sends it.
    public static func movieSearch(_ text: String) -> APIRequest {
        let query = "q=" + text.split(separator: " ").joined(separator: "+")
        return APIRequest(method: "GET", path: APIEndpoint.movies.path, query: query, requestID: "bench")
    }

    /// Times `calls` answers to each request of `requests(for:)` and of `movieSearchQueries`
    /// after `warmUpCalls` untimed ones.
    ///
    /// - Throws: `UnexpectedAnswer` when a request is not answered with 200.
    public static func measure(
        router: APIRouter, engine: RecommendationEngine, calls: Int = 2000,
        warmUpCalls: Int = 200
    ) throws(UnexpectedAnswer) -> [Figure] {
        let served = ServedModelSnapshot(engine: engine)
        let (predict, similar) = requests(for: engine.model)
        let worstCase = worstCasePredict()
        let overLimit = overLimitPredict()
        var figures = [
            try figure(
                "POST /api/predict (5 titles, top 20)", predict, router: router, served: served, calls: calls, warmUpCalls: warmUpCalls),
            try figure("POST /api/similar (1 title, n 5)", similar, router: router, served: served, calls: calls, warmUpCalls: warmUpCalls),
        ]
        for text in movieSearchQueries {
            let request = movieSearch(text)
            figures.append(
                try figure(
                    "GET /api/movies?\(request.query) (limit 10)", request, router: router, served: served, calls: calls,
                    warmUpCalls: warmUpCalls))
        }
        return figures + [
            try figure(
                "POST /api/predict, worst-case body (\(RecommendationEngine.ratedMovieLimit) near-miss titles, \(worstCase.body.count / 1024) KiB)",
                worstCase, router: router, served: served, calls: max(calls / 20, 1), warmUpCalls: 2, expecting: 422),
            try figure(
                "POST /api/predict, over the movie limit (\(overLimitTitleCount) unknown titles, \(overLimit.body.count / 1024) KiB)",
                overLimit, router: router, served: served, calls: max(calls / 20, 1), warmUpCalls: 2, expecting: 422),
        ]
    }

    /// The most expensive predict body title matching allows: the most titles a request may
    /// give, each a near miss of common title words (so the fuzzy search has many candidates,
    /// unlike random text), all unknown, within the 64 KiB body limit.
    public static func worstCasePredict() -> APIRequest {
        let words = ["the", "love", "story", "of", "star", "night", "man", "wars", "american", "dead", "life", "king", "big", "house"]
        let titles = (0..<RecommendationEngine.ratedMovieLimit).map { index in
            JSONValue.string((0..<20).map { words[(index * 7 + $0 * 3) % words.count] }.joined(separator: " ") + " \(index)x")
        }
        let ratings = JSONValue.array(titles.map { _ in .number(4) })
        return post(.array([.array(titles), ratings]), to: .predict)
    }

    /// How many titles `overLimitPredict()` sends: as many 8-letter titles as fit in 64 KiB.
    public static let overLimitTitleCount = 5000

    /// A body far over the movie limit: 5,000 random 8-letter titles, as an attacker would send
    /// to make the worker parse as much as the 64 KiB body limit allows before refusing it.
    public static func overLimitPredict() -> APIRequest {
        var generator = SeededRandomNumberGenerator(seed: 10)
        let consonants = Array("bcdfghjklmnpqrstvwxz")
        let titles = (0..<overLimitTitleCount).map { _ in
            JSONValue.string(String((0..<8).map { _ in consonants[generator.nextIndex(below: consonants.count)] }))
        }
        let ratings = JSONValue.array(titles.map { _ in .number(5) })
        return post(.array([.array(titles), ratings]), to: .predict)
    }

    /// A `POST` of `body` to `endpoint`, as the benchmark sends it.
    private static func post(_ body: JSONValue, to endpoint: APIEndpoint) -> APIRequest {
        APIRequest(method: "POST", path: endpoint.path, body: Array(JSONWriter.string(body).utf8), requestID: "bench")
    }

    private static func figure(
        _ name: String, _ request: APIRequest, router: APIRouter, served: ServedModelSnapshot,
        calls: Int, warmUpCalls: Int, expecting status: Int = 200
    ) throws(UnexpectedAnswer) -> Figure {
        let check = router.respond(to: request, served: served)
        guard check.status == status else {
            throw UnexpectedAnswer(path: request.path, status: check.status, body: String(decoding: check.body, as: UTF8.self))
        }
        for _ in 0..<warmUpCalls { _ = router.respond(to: request, served: served) }
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for _ in 0..<max(calls, 1) {
            let start = clock.now
            let response = router.respond(to: request, served: served)
            let elapsed = clock.now - start
            precondition(response.status == status, "the answer changed during the benchmark")
            samples.append(elapsed.inSeconds)
        }
        let mean = samples.reduce(0, +) / Double(samples.count)
        samples.sort()
        return Figure(
            name: name, body: String(decoding: request.body, as: UTF8.self), medianSeconds: samples[samples.count / 2],
            meanSeconds: mean, calls: samples.count)
    }
}
