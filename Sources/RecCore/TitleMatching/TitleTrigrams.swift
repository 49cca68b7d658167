/// The character trigrams of normalised title text, shared by the index builder, the fuzzy
/// scorer and the candidate search so all three count the same way.
///
/// Each space-separated word `w` of n bytes is padded as `␣␣w␣` and gives n + 1 byte
/// trigrams (`␣␣t`, `␣to`, `toy`, `oy␣` for `toy`), as PostgreSQL's pg_trgm does, so text of
/// single-space-separated words has exactly `byteCount + 1` trigrams. A trigram is packed
/// as `first << 16 | second << 8 | third`.
enum TitleTrigrams {
    private static let space = UInt32(UInt8(ascii: " "))

    /// Calls `body` with the range of each space-separated word of `text`.
    static func forEachWord(in text: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Void) {
        var start = 0
        for end in 0...text.count where end == text.count || UInt32(text[end]) == space {
            if end > start { body(start..<end) }
            start = end + 1
        }
    }

    /// Calls `body` with each trigram of `text`, word by word.
    static func forEach(in text: UnsafeRawBufferPointer, _ body: (UInt32) -> Void) {
        forEachWord(in: text) { range in
            var first = space, second = space
            for byte in text[range] {
                body(first << 16 | second << 8 | UInt32(byte))
                (first, second) = (second, UInt32(byte))
            }
            body(first << 16 | second << 8 | space)
        }
    }

    /// The distinct trigrams of `text`, sorted.
    static func distinct(in text: UnsafeRawBufferPointer) -> [UInt32] {
        var trigrams: [UInt32] = []
        trigrams.reserveCapacity(text.count + 1)
        forEach(in: text) { trigrams.append($0) }
        trigrams.sort()
        var kept = 0
        for trigram in trigrams where kept == 0 || trigrams[kept - 1] != trigram {
            trigrams[kept] = trigram
            kept += 1
        }
        trigrams.removeLast(trigrams.count - kept)
        return trigrams
    }

    /// Whether `trigram` opens a word (`␣␣x`): the one trigram every word starting with the
    /// same byte shares, so it is no evidence that two words resemble each other.
    static func opensWord(_ trigram: UInt32) -> Bool {
        trigram >> 8 == space << 8 | space
    }
}
