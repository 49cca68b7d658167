import RecModelFile
import RecModels

/// Writes the API's 200 bodies.
///
/// The two hot answers, recommendations and similar movies, are written byte by byte: titles
/// are copied from the memory-mapped model file and numbers are formatted without `String`, so
/// an answer costs one buffer allocation. The rest go through `JSONValue` and `JSONWriter`.
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
