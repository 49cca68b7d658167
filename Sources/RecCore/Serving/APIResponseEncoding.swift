import RecModelFile
import RecModels
import RecTitleMatching

/// Writes the API's 200 bodies.
///
/// The hot answers (recommendations, similar movies, movie searches) are written byte by byte:
/// titles and genres are copied from the memory-mapped model file and numbers are formatted
/// without `String`, so an answer costs one buffer allocation. The rest go through `JSONValue` and `JSONWriter`.
public enum APIResponseEncoding {
    /// `[[titles], [ratings]]`: the titles of `recommendations`' items and their ratings
    /// rounded to four decimals, in the given order.
    public static func recommendations(_ recommendations: [ScoredItem], model: LoadedModel) -> [UInt8] {
        twoLists(
            of: recommendations,
            first: { recommendation, body in
                JSONWriter.writeString(utf8: model.titles.utf8(at: recommendation.item), to: &body)
            },
            second: { recommendation, body in
                JSONWriter.writeDecimal(
                    scaled: RatingRounding.fourDecimalsScaled(recommendation.score), places: RatingRounding.places, to: &body)
            })
    }

    /// `[[movie ids], [titles]]` of `neighbours`' items, in the given order.
    public static func similarMovies(_ neighbours: [ScoredItem], model: LoadedModel) -> [UInt8] {
        twoLists(
            of: neighbours,
            first: { neighbour, body in
                JSONWriter.writeInteger(Int(model.movieIDs[neighbour.item]), to: &body)
            },
            second: { neighbour, body in
                JSONWriter.writeString(utf8: model.titles.utf8(at: neighbour.item), to: &body)
            })
    }

    /// `{"query": query, "movies": [...]}` for the movie search's `items`, best first: each
    /// movie as `{"id", "title", "year" (a number or null), "genres" (strings), "ratings"}`,
    /// copied from the model file without making a `String`.
    public static func movieSearch(query: String, items: [Int], engine: RecommendationEngine) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(32 + query.utf8.count + items.count * 128)
        body.append(contentsOf: #"{"query":"#.utf8)
        JSONWriter.writeString(query, to: &body)
        body.append(contentsOf: #","movies":["#.utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            writeMovie(item, engine: engine, to: &body)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }

    /// One movie of a search answer: `{"id", "title", "year", "genres", "ratings"}`.
    private static func writeMovie(_ item: Int, engine: RecommendationEngine, to body: inout [UInt8]) {
        let model = engine.model
        body.append(contentsOf: #"{"id":"#.utf8)
        JSONWriter.writeInteger(Int(model.movieIDs[item]), to: &body)
        body.append(contentsOf: #","title":"#.utf8)
        JSONWriter.writeString(utf8: model.titles.utf8(at: item), to: &body)
        body.append(contentsOf: #","year":"#.utf8)
        if let year = engine.titleWords.year(ofItem: item) {
            JSONWriter.writeInteger(year, to: &body)
        } else {
            body.append(contentsOf: "null".utf8)
        }
        body.append(contentsOf: #","genres":["#.utf8)
        var first = true
        model.genres.forEachGenre(ofItem: item) { genre in
            if !first { body.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.writeString(utf8: genre, to: &body)
        }
        body.append(contentsOf: #"],"ratings":"#.utf8)
        JSONWriter.writeInteger(Int(model.itemRatingCounts[item]), to: &body)
        body.append(UInt8(ascii: "}"))
    }

    /// `[[first(item) for each item], [second(item) for each item]]` in one buffer.
    private static func twoLists(
        of items: [ScoredItem], first: (ScoredItem, inout [UInt8]) -> Void,
        second: (ScoredItem, inout [UInt8]) -> Void
    ) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(8 + items.count * 48)
        body.append(contentsOf: "[[".utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            first(item, &body)
        }
        body.append(contentsOf: "],[".utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            second(item, &body)
        }
        body.append(contentsOf: "]]".utf8)
        return body
    }

    /// A JSON response with `status` and the compact text of `value`.
    public static func json(_ value: JSONValue, status: Int = 200, failure: String? = nil) -> APIResponse {
        var body: [UInt8] = []
        body.reserveCapacity(256)
        JSONWriter.write(value, to: &body)
        return APIResponse(status: status, body: body, failure: failure)
    }
}
