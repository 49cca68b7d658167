/// Parses ratings files into a `RatingTable` straight from bytes.
///
/// The format is detected from the file (see `RatingFileFormat`). Every line must follow it:
/// a malformed line stops the load with a `DataFileError` naming the file, the line number
/// and the problem, because a silently dropped row skews every model trained afterwards.
public enum RatingsFileParser {
    /// The lowest rating accepted in a file (half-star datasets start at 0.5).
    public static let lowestRating: Float = 0.5
    /// The highest rating accepted in a file.
    public static let highestRating: Float = 5

    /// Loads the ratings file at `path`.
    public static func load(path: String) throws(DataFileError) -> RatingTable {
        let bytes = try FileContents.bytes(atPath: path)
        return try parse(bytes, fileName: path)
    }

    /// Parses ratings from the bytes of a file; `fileName` is only used in error messages.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(DataFileError) -> RatingTable {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DataFileError) -> RatingTable in
            var parser = LineParser(bytes: buffer, fileName: fileName)
            return try parser.parseAll()
        }
    }

    /// Detects the format of a ratings file from its bytes without parsing every line.
    public static func detectFormat(_ bytes: [UInt8], fileName: String) throws(DataFileError) -> RatingFileFormat {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DataFileError) -> RatingFileFormat in
            var parser = LineParser(bytes: buffer, fileName: fileName)
            return try parser.detectFormat()
        }
    }
}

/// The byte-level state machine behind `RatingsFileParser`.
private struct LineParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let fileName: String
    var position = 0
    var lineNumber = 1
    var lineStart = 0
    /// Where the first data line starts (after any header), set by `detectFormat`.
    var dataStart = 0
    /// The line number of `dataStart`.
    var dataStartLine = 1

    init(bytes: UnsafeBufferPointer<UInt8>, fileName: String) {
        self.bytes = bytes
        self.fileName = fileName
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let colon = UInt8(ascii: ":")
    private static let comma = UInt8(ascii: ",")
    private static let dot = UInt8(ascii: ".")
    private static let zero = UInt8(ascii: "0")

    // MARK: Format detection

    /// Reads the first non-blank lines to find the separator, a header and the column count.
    mutating func detectFormat() throws(DataFileError) -> RatingFileFormat {
        guard let (firstStart, firstEnd, firstNumber) = nextNonBlankLine(from: 0, lineNumber: 1) else {
            throw DataFileError(.emptyFile, file: fileName, reason: "the file has no rating lines")
        }
        let firstIsHeader = !Self.isDigit(firstNonSpace(firstStart, firstEnd))
        var dataStart = firstStart, dataEnd = firstEnd, dataLine = firstNumber
        if firstIsHeader {
            guard let next = nextNonBlankLine(from: lineEnd(afterContentEnd: firstEnd), lineNumber: firstNumber + 1) else {
                throw DataFileError(.emptyFile, file: fileName, reason: "the file has a header but no rating lines")
            }
            (dataStart, dataEnd, dataLine) = next
        }
        self.dataStart = dataStart
        self.dataStartLine = dataLine
        guard let separator = Self.separator(in: bytes, from: dataStart, to: dataEnd) else {
            throw DataFileError(
                .unknownFormat, file: fileName, line: dataLine,
                reason: "no field separator found; expected '::', ',', tabs or spaces between user, movie and rating")
        }
        let columns = countFields(dataStart, dataEnd, separator: separator)
        guard columns == 3 || columns == 4 else {
            throw DataFileError(
                .malformedLine, file: fileName, line: dataLine,
                reason: "expected 3 or 4 fields (user, movie, rating[, timestamp]), found \(columns)")
        }
        return RatingFileFormat(separator: separator, hasHeader: firstIsHeader, columnCount: columns)
    }

    /// The content range and line number of the first line at or after `start` that holds
    /// something other than spaces.
    private func nextNonBlankLine(from start: Int, lineNumber: Int) -> (Int, Int, Int)? {
        var start = start, number = lineNumber
        while start < bytes.count {
            let end = contentEnd(from: start)
            if firstNonSpaceIndex(start, end) < end { return (start, end, number) }
            start = lineEnd(afterContentEnd: end)
            number += 1
        }
        return nil
    }

    private static func separator(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> RatingFileFormat.Separator? {
        var sawComma = false, sawWhitespace = false
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == colon, index + 1 < end, bytes[index + 1] == colon { return .doubleColon }
            if byte == comma { sawComma = true }
            if byte == tab || byte == space { sawWhitespace = true }
            index += 1
        }
        if sawComma { return .comma }
        if sawWhitespace { return .whitespace }
        return nil
    }

    private func countFields(_ start: Int, _ end: Int, separator: RatingFileFormat.Separator) -> Int {
        var fields = 0
        var index = firstNonSpaceIndex(start, end)
        while index < end {
            fields += 1
            guard let next = nextSeparatorEnd(from: index, end: end, separator: separator) else { break }
            index = next
        }
        return fields
    }

    /// The index just after the separator that follows the field starting at `index`, or nil
    /// when the line ends first.
    private func nextSeparatorEnd(from index: Int, end: Int, separator: RatingFileFormat.Separator) -> Int? {
        var index = index
        switch separator {
        case .doubleColon:
            while index + 1 < end {
                if bytes[index] == Self.colon && bytes[index + 1] == Self.colon { return index + 2 }
                index += 1
            }
            return nil
        case .comma:
            while index < end {
                if bytes[index] == Self.comma { return index + 1 }
                index += 1
            }
            return nil
        case .whitespace:
            while index < end, !Self.isSpace(bytes[index]) { index += 1 }
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            return index < end ? index : nil
        }
    }

    // MARK: Parsing

    /// Parses every line of the file.
    mutating func parseAll() throws(DataFileError) -> RatingTable {
        let format = try detectFormat()
        var table = RatingTable(hasTimestamps: format.columnCount == 4)
        table.reserveCapacity(bytes.count / 12 + 16)
        position = dataStart
        lineNumber = dataStartLine
        while position < bytes.count {
            lineStart = position
            let end = contentEnd(from: position)
            if firstNonSpaceIndex(position, end) < end {
                try parseLine(end: end, format: format, into: &table)
            }
            position = lineEnd(afterContentEnd: end)
            lineNumber += 1
        }
        if table.isEmpty {
            throw DataFileError(.emptyFile, file: fileName, reason: "the file has no rating lines")
        }
        return table
    }

    private mutating func parseLine(end: Int, format: RatingFileFormat, into table: inout RatingTable) throws(DataFileError) {
        position = firstNonSpaceIndex(position, end)
        let userID = try parseIdentifier(end: end, what: "user id")
        try expectSeparator(end: end, format: format, fieldsSoFar: 1)
        let movieID = try parseIdentifier(end: end, what: "movie id")
        try expectSeparator(end: end, format: format, fieldsSoFar: 2)
        let rating = try parseRating(end: end)
        var timestamp: Int64 = 0
        if format.columnCount == 4 {
            try expectSeparator(end: end, format: format, fieldsSoFar: 3)
            timestamp = try parseInteger(end: end, what: "timestamp", limit: Int64.max / 10)
        }
        skipSpaces(end: end)
        if position < end {
            let extra = countFields(lineStart, end, separator: format.separator)
            throw malformed("expected \(format.columnCount) fields like the rest of the file, found \(extra)")
        }
        table.append(userID: userID, movieID: movieID, rating: rating, timestamp: timestamp)
    }

    private mutating func expectSeparator(end: Int, format: RatingFileFormat, fieldsSoFar: Int) throws(DataFileError) {
        switch format.separator {
        case .doubleColon:
            skipSpaces(end: end)
            guard position + 1 < end, bytes[position] == Self.colon, bytes[position + 1] == Self.colon else {
                throw missingField(fieldsSoFar, format: format, end: end)
            }
            position += 2
            skipSpaces(end: end)
        case .comma:
            skipSpaces(end: end)
            guard position < end, bytes[position] == Self.comma else {
                throw missingField(fieldsSoFar, format: format, end: end)
            }
            position += 1
            skipSpaces(end: end)
        case .whitespace:
            let before = position
            skipSpaces(end: end)
            guard position > before, position < end else {
                throw missingField(fieldsSoFar, format: format, end: end)
            }
        }
    }

    private func missingField(_ fieldsSoFar: Int, format: RatingFileFormat, end: Int) -> DataFileError {
        if position >= end || bytes[position] == Self.carriageReturn {
            return malformed("expected \(format.columnCount) fields like the rest of the file, found \(fieldsSoFar)")
        }
        return malformed(
            "unexpected \(quoted(from: position, end: end)) after field \(fieldsSoFar); expected the separator \(format.separator == .whitespace ? "whitespace" : "'\(format.separator.rawValue)'")"
        )
    }

    private mutating func parseIdentifier(end: Int, what: String) throws(DataFileError) -> Int32 {
        Int32(try parseInteger(end: end, what: what, limit: Int64(Int32.max)))
    }

    private mutating func parseInteger(end: Int, what: String, limit: Int64) throws(DataFileError) -> Int64 {
        let start = position
        var value: Int64 = 0
        while position < end, Self.isDigit(bytes[position]) {
            value = value * 10 + Int64(bytes[position] &- Self.zero)
            if value > limit {
                throw malformed("\(what) \(quoted(from: start, end: end)) is too large")
            }
            position += 1
        }
        guard position > start, position == end || !isFieldByte(bytes[position]) else {
            throw malformed("expected a whole number for the \(what), found \(quoted(from: start, end: end))")
        }
        return value
    }

    private mutating func parseRating(end: Int) throws(DataFileError) -> Float {
        let start = position
        var whole: Int = 0
        var digits = 0
        while position < end, Self.isDigit(bytes[position]), digits < 6 {
            whole = whole * 10 + Int(bytes[position] &- Self.zero)
            position += 1
            digits += 1
        }
        var value = Float(whole)
        if position < end, bytes[position] == Self.dot {
            position += 1
            var scale: Float = 0.1
            var fractionDigits = 0
            while position < end, Self.isDigit(bytes[position]) {
                value += Float(bytes[position] &- Self.zero) * scale
                scale *= 0.1
                position += 1
                fractionDigits += 1
            }
            digits += fractionDigits
        }
        guard digits > 0, position == end || !isFieldByte(bytes[position]) else {
            throw malformed("expected a number for the rating, found \(quoted(from: start, end: end))")
        }
        guard value >= RatingsFileParser.lowestRating, value <= RatingsFileParser.highestRating else {
            throw malformed(
                "rating \(quoted(from: start, end: end)) is outside \(RatingsFileParser.lowestRating)...\(RatingsFileParser.highestRating)")
        }
        return value
    }

    /// Whether `byte` continues a field (anything but a separator or trailing space).
    private func isFieldByte(_ byte: UInt8) -> Bool {
        !(Self.isSpace(byte) || byte == Self.colon || byte == Self.comma || byte == Self.carriageReturn)
    }

    private func malformed(_ reason: String) -> DataFileError {
        DataFileError(.malformedLine, file: fileName, line: lineNumber, reason: reason)
    }

    /// The field starting at `start`, quoted for an error message (at most 40 bytes).
    private func quoted(from start: Int, end: Int) -> String {
        var stop = start
        while stop < end, stop - start < 40, !Self.isSpace(bytes[stop]), bytes[stop] != Self.comma,
            !(bytes[stop] == Self.colon && stop + 1 < end && bytes[stop + 1] == Self.colon)
        {
            stop += 1
        }
        if stop == start { return "nothing" }
        return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self) + "'"
    }

    // MARK: Bytes

    /// The index of the newline ending the line that starts at `start`, or the end of the file;
    /// a trailing carriage return is excluded.
    private func contentEnd(from start: Int) -> Int {
        var index = start
        let count = bytes.count
        while index < count, bytes[index] != Self.newline { index += 1 }
        var end = index
        if end > start, bytes[end - 1] == Self.carriageReturn { end -= 1 }
        return end
    }

    /// The start of the next line after a line whose content ends at `contentEnd`.
    private func lineEnd(afterContentEnd contentEnd: Int) -> Int {
        var index = contentEnd
        while index < bytes.count, bytes[index] != Self.newline { index += 1 }
        return index + 1
    }

    private mutating func skipSpaces(end: Int) {
        while position < end, Self.isSpace(bytes[position]) { position += 1 }
    }

    private func firstNonSpaceIndex(_ start: Int, _ end: Int) -> Int {
        var index = start
        while index < end, Self.isSpace(bytes[index]) { index += 1 }
        return index
    }

    private func firstNonSpace(_ start: Int, _ end: Int) -> UInt8 {
        let index = firstNonSpaceIndex(start, end)
        return index < end ? bytes[index] : 0
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == space || byte == tab }
}
