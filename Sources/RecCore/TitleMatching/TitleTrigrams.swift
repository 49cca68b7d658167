/// The character trigrams of normalised title text, shared by the index builder, the fuzzy
/// scorer and the candidate search so all three count the same way.
///
/// Each space-separated word `w` of n bytes is padded as `␣␣w␣` and gives n + 1 byte
/// trigrams (`␣␣t`, `␣to`, `toy`, `oy␣` for `toy`), as PostgreSQL's pg_trgm does, so text of
/// single-space-separated words has exactly `byteCount + 1` trigrams. A trigram is packed
/// as `first << 16 | second << 8 | third`.
enum TitleTrigrams {
    private static let space = UInt32(UInt8(ascii: " "))

    /// Calls `body` with each trigram of `text`, word by word.
    static func forEach(in text: UnsafeRawBufferPointer, _ body: (UInt32) -> Void) {
        var first = space, second = space
        var wordIsEmpty = true
        for byte in text {
            if UInt32(byte) == space {
                if !wordIsEmpty { body(first << 16 | second << 8 | space) }
                (first, second, wordIsEmpty) = (space, space, true)
            } else {
                body(first << 16 | second << 8 | UInt32(byte))
                (first, second, wordIsEmpty) = (second, UInt32(byte), false)
            }
        }
        if !wordIsEmpty { body(first << 16 | second << 8 | space) }
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
