import Testing
@testable import RecCore

struct RatingsFileParserTests {
    private func parse(_ text: String) throws(DataFileError) -> RatingTable {
        try RatingsFileParser.parse(Array(text.utf8), fileName: "ratings.dat")
    }

    private func parseError(_ text: String) -> DataFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsDoubleColonWithoutTimestamps() throws {
        let table = try parse("1::10::5\n2::20::3\n")
        #expect(table.userIDs == [1, 2])
        #expect(table.movieIDs == [10, 20])
        #expect(table.ratings == [5, 3])
        #expect(table.timestamps == nil)
    }

    @Test func readsDoubleColonWithTimestamps() throws {
        let table = try parse("3842::1645::2::976513704\n2928::246::4::971556036")
        #expect(table.count == 2)
        #expect(table.timestamps == [976_513_704, 971_556_036])
    }

    @Test func readsCSVWithHeaderAndHalfStars() throws {
        let table = try parse("userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n1,1029,3.0,1260759179\r\n")
        #expect(table.userIDs == [1, 1])
        #expect(table.ratings == [2.5, 3.0])
        #expect(table.timestamps == [1_260_759_144, 1_260_759_179])
    }

    @Test func readsTabSeparatedMovieLens100k() throws {
        let table = try parse("196\t242\t3\t881250949\n186\t302\t3\t891717742\n")
        #expect(table.userIDs == [196, 186])
        #expect(table.movieIDs == [242, 302])
        #expect(table.timestamps?.count == 2)
    }

    @Test func readsSpaceSeparatedAndSkipsBlankLines() throws {
        let table = try parse("\n1 2 4\n\n   \n3  4  5  \n")
        #expect(table.userIDs == [1, 3])
        #expect(table.ratings == [4, 5])
    }

    @Test func detectsFormat() throws {
        let format = try RatingsFileParser.detectFormat(Array("user,item,rating\n1,2,3\n".utf8), fileName: "x.csv")
        #expect(format == RatingFileFormat(separator: .comma, hasHeader: true, columnCount: 3))
    }

    @Test func reportsLineNumberOfMissingField() throws {
        let error = try #require(parseError("1::2::3\n4::5::3\n6::7\n"))
        #expect(error.code == .malformedLine)
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("ratings.dat:3: "))
        #expect(error.reason.contains("found 2"))
    }

    @Test func reportsNonNumericField() throws {
        let error = try #require(parseError("1::2::3\n1::abc::4\n"))
        #expect(error.line == 2)
        #expect(error.reason.contains("movie id"))
        #expect(error.reason.contains("'abc'"))
    }

    @Test func reportsRatingOutOfRange() throws {
        let error = try #require(parseError("1::2::3\n1::3::7\n"))
        #expect(error.line == 2)
        #expect(error.reason.contains("outside"))
    }

    @Test func reportsInconsistentColumnCount() throws {
        let error = try #require(parseError("1::2::3::100\n1::3::4\n"))
        #expect(error.line == 2)
        #expect(error.reason.contains("expected 4 fields"))
    }

    @Test func reportsExtraField() throws {
        let error = try #require(parseError("1::2::3\n1::3::4::5\n"))
        #expect(error.line == 2)
        #expect(error.reason.contains("expected 3 fields"))
    }

    @Test func reportsIdentifierOverflow() throws {
        let error = try #require(parseError("99999999999::2::3\n"))
        #expect(error.reason.contains("too large"))
    }

    @Test func rejectsEmptyAndHeaderOnlyFiles() {
        #expect(parseError("")?.code == .emptyFile)
        #expect(parseError("\n \n")?.code == .emptyFile)
        #expect(parseError("user,movie,rating\n")?.code == .emptyFile)
    }

    @Test func rejectsLineWithoutSeparator() {
        #expect(parseError("12345\n")?.code == .unknownFormat)
    }

    @Test func reportsMissingFile() {
        do {
            _ = try RatingsFileParser.load(path: "/nonexistent/ratings.dat")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.description.contains("/nonexistent/ratings.dat"))
        }
    }

    @Test func loadsEmbeddedTrainingFile() throws {
        let table = try RatingsFileParser.load(path: FixturePaths.embeddedTrainingFile)
        #expect(table.count == 950_204)
        #expect(table.timestamps == nil)
        #expect(table.userIDs.first == 610 && table.movieIDs.first == 3162 && table.ratings.first == 2)
    }
}
