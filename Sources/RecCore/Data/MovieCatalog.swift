/// One movie of the catalogue: its id, its title as correct UTF-8, and its genres.
public struct Movie: Sendable, Equatable {
    /// The external movie id used by the ratings files.
    public var id: Int32
    /// The title with its year, for example `Misérables, Les (1995)`.
    public var title: String
    /// The genres, for example `["Animation", "Children's", "Comedy"]`.
    public var genres: [String]

    /// Creates a movie.
    public init(id: Int32, title: String, genres: [String] = []) {
        self.id = id
        self.title = title
        self.genres = genres
    }
}

/// The movies of a dataset, read from MovieLens' `movies.dat`, MovieLens-100k's `u.item` or
/// a `movies.csv`, sorted by id.
///
/// MovieLens ships Latin-1 titles. A file that is not valid UTF-8 is decoded as Latin-1, so
/// `Mis\u{E9}rables` comes out as `Misérables` rather than as a replacement character.
public struct MovieCatalog: Sendable, Equatable {
    /// The movies, sorted by ascending id.
    public private(set) var movies: [Movie]

    /// A catalogue of `movies`; they are sorted by id, and a repeated id keeps the first.
    public init(movies: [Movie]) {
        var seen = Set<Int32>()
        self.movies = movies.filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }
    }

    /// The movie with `id`, if the catalogue has it.
    public func movie(id: Int32) -> Movie? {
        var low = 0, high = movies.count
        while low < high {
            let middle = (low + high) / 2
            if movies[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < movies.count && movies[low].id == id ? movies[low] : nil
    }

    /// The file names searched, in order, next to a ratings file by `locate(nextTo:)`.
    public static let conventionalFileNames = ["movies.dat", "u.item", "movies.csv"]

    /// The path of the catalogue that sits in the same folder as `ratingsPath`, if any.
    public static func locate(nextTo ratingsPath: String) -> String? {
        let folder = ratingsPath.contains("/") ? String(ratingsPath[..<ratingsPath.lastIndex(of: "/")!]) : "."
        for name in conventionalFileNames {
            let candidate = folder + "/" + name
            if (try? FileContents.bytes(atPath: candidate)) != nil { return candidate }
        }
        return nil
    }

    /// Loads the catalogue at `path`; the layout is detected from the file.
    public static func load(path: String) throws(DataFileError) -> MovieCatalog {
        try parse(FileContents.bytes(atPath: path), fileName: path)
    }

    /// Parses a catalogue from the bytes of a file; `fileName` is only used in error messages.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(DataFileError) -> MovieCatalog {
        let text = decodeText(bytes)
        var movies: [Movie] = []
        var layout: Layout?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let lineNumber = offset + 1
            if layout == nil {
                layout = Layout(firstLine: line)
                if layout == .csv, !(line.first?.isNumber ?? false) { continue } // CSV header
            }
            movies.append(try parseLine(line, layout: layout!, fileName: fileName, lineNumber: lineNumber))
        }
        guard !movies.isEmpty else {
            throw DataFileError(.emptyFile, file: fileName, reason: "the file lists no movies")
        }
        return MovieCatalog(movies: movies)
    }

    /// Decodes UTF-8 when the bytes are valid UTF-8, and Latin-1 otherwise.
    static func decodeText(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    private enum Layout: Equatable {
        case doubleColon, pipe, csv

        init(firstLine: Substring) {
            if firstLine.contains("::") { self = .doubleColon } else if firstLine.contains("|") { self = .pipe } else { self = .csv }
        }
    }

    /// MovieLens-100k's genre flags, in the order of `u.genre`.
    static let movieLens100kGenres = [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ]

    private static func parseLine(_ line: Substring, layout: Layout, fileName: String, lineNumber: Int) throws(DataFileError) -> Movie {
        let fields: [Substring]
        switch layout {
        case .doubleColon: fields = line.split(separator: "::", omittingEmptySubsequences: false)
        case .pipe: fields = line.split(separator: "|", omittingEmptySubsequences: false)
        case .csv: fields = splitCSV(line)
        }
        guard fields.count >= 2 else {
            throw DataFileError(
                .malformedLine, file: fileName, line: lineNumber,
                reason: "expected at least a movie id and a title, found \(fields.count) field")
        }
        guard let id = Int32(fields[0].trimmingSpaces), id >= 0 else {
            throw DataFileError(
                .malformedLine, file: fileName, line: lineNumber,
                reason: "expected a whole number for the movie id, found '\(fields[0].prefix(40))'")
        }
        let title = String(fields[1].trimmingSpaces)
        guard !title.isEmpty else {
            throw DataFileError(.malformedLine, file: fileName, line: lineNumber, reason: "movie \(id) has an empty title")
        }
        var genres: [String] = []
        switch layout {
        case .doubleColon, .csv:
            if fields.count >= 3 {
                genres = fields[2].split(separator: "|").map(String.init).filter { $0 != "(no genres listed)" }
            }
        case .pipe:
            let flags = fields.dropFirst(5)
            for (index, flag) in flags.enumerated() where flag == "1" && index < movieLens100kGenres.count {
                genres.append(movieLens100kGenres[index])
            }
        }
        return Movie(id: id, title: title, genres: genres)
    }

    /// Splits one CSV line, honouring double quotes and `""` escapes inside them.
    private static func splitCSV(_ line: Substring) -> [Substring] {
        var fields: [Substring] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if inQuotes {
                if character == "\"" {
                    inQuotes = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                if current.last == "\"" || !current.isEmpty { current.append("\"") }
                inQuotes = true
            } else if character == "," {
                fields.append(Substring(current))
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(Substring(current))
        return fields
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
