import FuzzSupport
import RecCore

/// libFuzzer target: `RatingsFileParser.parse`, which reads every training file (`::`, CSV
/// with or without a header, whitespace-separated, 3 or 4 columns), on arbitrary bytes.
///
/// Beyond "never crashes", it checks the parser's contract: a table has one user id, movie
/// id and rating per row (and a timestamp per row exactly when `detectFormat` finds 4
/// columns), ids are not negative and ratings are from 0.5 to 5; an error names a line of
/// the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRatingsParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let table: RatingTable
    do {
        table = try RatingsFileParser.parse(bytes, fileName: "fuzz.dat")
    } catch {
        if let line = error.line {
            let lineCount = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            FuzzSupport.require((1...lineCount).contains(line), "error on line \(line) of \(lineCount): \(error)")
        }
        return 0
    }
    FuzzSupport.require(table.count > 0, "an empty table was accepted")
    FuzzSupport.require(
        table.userIDs.count == table.count && table.movieIDs.count == table.count,
        "\(table.userIDs.count) users and \(table.movieIDs.count) movies for \(table.count) ratings")
    FuzzSupport.require(table.userIDs.allSatisfy { $0 >= 0 } && table.movieIDs.allSatisfy { $0 >= 0 }, "a negative id")
    FuzzSupport.require(
        table.ratings.allSatisfy { $0 >= RatingsFileParser.lowestRating && $0 <= RatingsFileParser.highestRating },
        "a rating outside 0.5...5: \(table.ratings.filter { !($0 >= 0.5 && $0 <= 5) })")
    let format: RatingFileFormat
    do {
        format = try RatingsFileParser.detectFormat(bytes, fileName: "fuzz.dat")
    } catch {
        FuzzSupport.require(false, "parse accepted the file but detectFormat refuses it: \(error)")
        return 0
    }
    FuzzSupport.require((format.columnCount == 4) == (table.timestamps != nil), "\(format) with timestamps \(table.timestamps != nil)")
    if let timestamps = table.timestamps {
        FuzzSupport.require(timestamps.count == table.count, "\(timestamps.count) timestamps for \(table.count) ratings")
    }
    return 0
}
