import Testing
@testable import RecCore

struct JSONParserTests {
    @Test func parsesTheHomeworkPredictBody() throws {
        let value = try JSONParser.parse(#"[["Toy Story", "Heat (1995)"], [5, 4.5]]"#)
        #expect(value == .array([.array([.string("Toy Story"), .string("Heat (1995)")]), .array([.number(5), .number(4.5)])]))
    }

    @Test func parsesObjectsEscapesAndUnicode() throws {
        let value = try JSONParser.parse(
            #" {"movie_name": "Mis\u00e9rables, Les \"1995\"", "n": 5, "emoji": "\ud83c\udfac", "x": [true, false, null, -1.5e2]} "#)
        #expect(value["movie_name"]?.string == "Misérables, Les \"1995\"")
        #expect(value["n"]?.integer == 5)
        #expect(value["emoji"]?.string == "🎬")
        #expect(value["x"] == .array([.bool(true), .bool(false), .null, .number(-150)]))
        #expect(value["missing"] == nil)
    }

    @Test(arguments: [
        "", "[", "[1,]", "{\"a\":1,}", "NaN", "[NaN]", "Infinity", "[1 2]", "'x'", "[01]", "\"\u{01}\"", "\"\\x\"",
        "\"\\ud800\"", "{1: 2}", "[1] x", "1e999", "-", "[\"unterminated]",
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(text) }
    }

    @Test func reportsWhereParsingFailed() {
        do {
            _ = try JSONParser.parse("[1, 2,, 3]")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 6)
            #expect(error.description.contains("byte 6"))
        }
    }

    @Test func capsNestingDepth() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        do {
            _ = try JSONParser.parse(deep)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .tooDeep)
        }
    }

    @Test func capsArrayLengthWhereTheArrayCrossesIt() throws {
        #expect(
            try JSONParser.parse(Array("[[1, 2, 3], [4, 5, 6]]".utf8), maximumArrayLength: 3)
                == .array([.array([1, 2, 3].map { .number($0) }), .array([4, 5, 6].map { .number($0) })]))
        // The fourth element is refused before it is read, so the rest of the text (here not even
        // valid JSON) costs nothing.
        do {
            _ = try JSONParser.parse(Array("[1, 2, 3, 4, not json".utf8), maximumArrayLength: 3)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .tooLong)
            #expect(error.offset == 10)
        }
    }

    @Test func writerEscapesAndRoundTrips() throws {
        let value: JSONValue = .object([
            ("title", .string("A \"quoted\" \\ line\nbreak\u{01}")), ("ids", .array([.number(318), .number(4.1234)])),
        ])
        let text = JSONWriter.string(value)
        #expect(text == #"{"title":"A \"quoted\" \\ line\nbreak\u0001","ids":[318,4.1234]}"#)
        #expect(try JSONParser.parse(text) == value)
        #expect(JSONWriter.string(.number(.nan)) == "null")
    }

    @Test func readsRatedMovies() throws {
        let ratings = try RatedMoviesInput.parse(JSONParser.parse(#"[["Toy Story", 260], [5, 3.5]]"#))
        #expect(ratings.map(\.movie) == [.title("Toy Story"), .id(260)])
        #expect(ratings.map(\.rating) == [5, 3.5])
    }

    @Test(arguments: [
        (#"{"a": 1}"#, QueryError.Code.invalidShape), (#"[["x"]]"#, .invalidShape), (#"[["x", "y"], [5]]"#, .mismatchedLengths),
        (#"[[true], [5]]"#, .invalidShape), (#"[["x"], ["5"]]"#, .invalidShape), (#"[[1.5], [5]]"#, .invalidShape),
    ])
    func refusesMalformedRatedMovies(_ text: String, _ code: QueryError.Code) throws {
        let value = try JSONParser.parse(text)
        do {
            _ = try RatedMoviesInput.parse(value)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.code == code)
        }
    }
}
