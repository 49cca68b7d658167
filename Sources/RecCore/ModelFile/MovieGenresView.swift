/// The genres of each movie of a loaded generation: a zero-copy view of the model file's
/// optional sections 26 and 27, or of nothing for a generation written before they existed.
///
/// The file stores each movie's genres as one UTF-8 string of a `StringTable`, the genres
/// separated by `|` as in MovieLens' `movies.dat` (`Action|Adventure|Sci-Fi`), so the sections
/// are checked like the titles (offsets from 0 to the byte count, ascending) and the API can
/// write a movie's genres straight from the map, one genre at a time, without a `String`.
/// Valid while the `LoadedModel` that made it is alive.
public struct MovieGenresView: @unchecked Sendable {
    /// The byte that separates two genres of a movie in the stored string.
    public static let separator = UInt8(ascii: "|")

    /// The stored table, or nil when the generation has no genres.
    private let table: StringTableView?
    /// The number of movies, which every lookup is below.
    private let itemCount: Int

    /// A view of no genres: every movie has none.
    public static let none = MovieGenresView(table: nil, itemCount: 0)

    private init(table: StringTableView?, itemCount: Int) {
        self.table = table
        self.itemCount = itemCount
    }

    /// The view of `sections`' genres; `none` when the file has neither genre section.
    ///
    /// - Throws: `corruptSection` when only one of the two sections is present, or the offsets
    ///   are not `itemCount + 1` values ascending from 0 to the byte count.
    init(sections: ModelFileSectionTable, itemCount: Int, path: String) throws(ModelFileError) {
        guard try sections.containsAll(ModelFileSectionKind.genres, what: "the genres are") else {
            self = .none
            return
        }
        let offsets = try sections.requiredElements(.genreOffsets, as: UInt32.self, count: itemCount + 1)
        let table = StringTableView(offsets: offsets, bytes: sections.requiredBytes(.genreBytes))
        do throws(ModelFileInvariants.Violation) {
            try ModelFileInvariants.checkStringOffsets(offsets, byteCount: table.bytes.count, name: "genre")
        } catch {
            throw ModelFileError(.corruptSection, path: path, reason: error.reason)
        }
        self.init(table: table, itemCount: itemCount)
    }

    /// Whether the generation stores genres (false for one written before they were stored).
    public var isStored: Bool { table != nil }

    /// Calls `body` with the UTF-8 bytes of each genre of `item`, in stored order; never for a
    /// generation without genres or an item outside the catalogue.
    public func forEachGenre(ofItem item: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let table, item >= 0, item < itemCount else { return }
        let bytes = table.utf8(at: item)
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == Self.separator {
            if end > start { body(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) }
            start = end + 1
        }
    }

    /// The genres of `item`, for example `["Animation", "Children's", "Comedy"]`; empty for a
    /// generation without genres.
    public func genres(ofItem item: Int) -> [String] {
        var genres: [String] = []
        forEachGenre(ofItem: item) { genres.append(String(decoding: $0, as: UTF8.self)) }
        return genres
    }

    /// The string table the writer stores for `genres` (one list per item): each list joined
    /// with `separator`.
    static func table(storing genres: [[String]]) -> StringTable {
        StringTable(genres.map { $0.joined(separator: String(decoding: [separator], as: UTF8.self)) })
    }

    /// The first genre of `genres` that the file cannot store, empty or holding `separator`,
    /// with its item; nil when every one can be stored.
    static func unstorableGenre(in genres: [[String]]) -> (item: Int, genre: String)? {
        for (item, list) in genres.enumerated() {
            if let genre = list.first(where: { $0.isEmpty || $0.utf8.contains(separator) }) { return (item, genre) }
        }
        return nil
    }
}
