/// Reads the fields the API's request bodies and query strings share: members that go by
/// several names (`top`, `M`, `top_m`, `n`) and whole-number counts.
///
/// One set of rules for every endpoint: a field given under two of its names is refused rather
/// than one silently winning; a count must be a whole number (400 otherwise) and is then
/// range-checked by the endpoint (422).
enum RequestFieldReader {
    /// The member of `members` named by one of `names`, with the name used; `nil` when none is
    /// present or its value is `null`.
    ///
    /// - Throws: `invalid_shape` when the object gives the field under two names, or twice with
    ///   different values.
    static func member(
        of members: [(key: String, value: JSONValue)], anyOf names: [String]
    ) throws(APIError) -> (name: String, value: JSONValue)? {
        var found: (name: String, value: JSONValue)?
        for member in members where names.contains(member.key) {
            if member.value == .null { continue }
            if let found, found.name != member.key || found.value != member.value {
                throw APIError(
                    .invalidShape, "the body gives '\(found.name)' and '\(member.key)', which mean the same; give one of them once")
            }
            found = (member.key, member.value)
        }
        return found
    }

    /// The whole number in the JSON member `name`.
    ///
    /// - Throws: `invalid_shape` for anything but a whole number, `count_out_of_range` (with
    ///   `range` in the message) for one too large to be a count.
    static func count(_ value: JSONValue, name: String, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard case .number(let number) = value else {
            throw APIError(.invalidShape, "'\(name)' must be a whole number, not \(value.kindDescription)")
        }
        guard number.rounded() == number else {
            throw APIError(.invalidShape, "'\(name)' must be a whole number, not \(JSONWriter.string(value))")
        }
        guard let count = value.integer, abs(count) <= 1_000_000_000 else {
            throw outOfRange(name: name, text: JSONWriter.string(value), range: range)
        }
        return count
    }

    /// The whole number in the query parameter `name`, whose text is `text`.
    ///
    /// - Throws: `invalid_parameter` for text that is not a whole number, `count_out_of_range`
    ///   for a number too large to be a count.
    static func count(queryText text: String, name: String, range: ClosedRange<Int>) throws(APIError) -> Int {
        if let count = Int(text), abs(count) <= 1_000_000_000 { return count }
        let digits = text.utf8.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        if !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            throw outOfRange(name: name, text: text, range: range)
        }
        throw APIError(.invalidParameter, "'\(name)' must be a whole number, not '\(text)'")
    }

    private static func outOfRange(name: String, text: String, range: ClosedRange<Int>) -> APIError {
        APIError(.countOutOfRange, "'\(name)' must be from \(range.lowerBound) to \(range.upperBound), not \(text)")
    }

    /// The ranking named by the query parameter `rank`, or the default when it is absent.
    ///
    /// - Throws: `invalid_parameter` for a name other than `relevance` or `rating`.
    static func ranking(in parameters: URLQueryParameters) throws(APIError) -> RecommendationRanking {
        guard let rank = try parameters.value(anyOf: ["rank"]) else { return .defaultRanking }
        return try ranking(named: rank.value)
    }

    /// The ranking called `name`.
    ///
    /// - Throws: `invalid_parameter` for a name other than `relevance` or `rating`.
    static func ranking(named name: String) throws(APIError) -> RecommendationRanking {
        guard let ranking = RecommendationRanking(rawValue: name) else {
            let names = RecommendationRanking.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            throw APIError(.invalidParameter, "'rank' must be \(names), not '\(name)'")
        }
        return ranking
    }

    /// Whether `body` holds nothing but JSON whitespace.
    static func isBlank(_ body: [UInt8]) -> Bool {
        body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
