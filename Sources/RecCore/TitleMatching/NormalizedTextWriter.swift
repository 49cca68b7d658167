/// Folds Unicode scalars into normalised title text: lowercase ASCII letters and digits (and
/// lowercase letters of other scripts), words separated by single spaces, nothing else.
///
/// The rules, applied to each scalar:
/// - letters are lowercased and lose their accents (`É` → `e`, `ß` → `ss`, see
///   `LatinFoldingTable`); combining marks are dropped, so decomposed input folds the same;
/// - apostrophes (`'`, `’`, `` ` ``, `´`) are dropped without splitting the word:
///   `Schindler's` → `schindlers`, `L'Enfer` → `lenfer`;
/// - a dot right after a single letter or digit is dropped the same way, so abbreviations
///   stay one word (`L.A.` → `la`, `a.k.a.` → `aka`), while any other dot separates;
/// - `&` becomes the word `and`;
/// - full-width ASCII forms fold to ASCII;
/// - everything else (spaces, punctuation, symbols, emoji) separates words.
struct NormalizedTextWriter {
    /// The UTF-8 bytes written so far.
    private(set) var bytes: [UInt8] = []
    /// Whether a word separator is due before the next letter.
    private var separatorIsPending = false
    /// The number of letters and digits since the last other scalar, for abbreviation dots.
    private var alphanumericRun = 0

    init(capacity: Int = 32) {
        bytes.reserveCapacity(capacity)
    }

    /// Ends the current word; separators never double up or lead or trail the text.
    mutating func separateWords() {
        separatorIsPending = true
        alphanumericRun = 0
    }

    /// Writes the folded form of `scalars`.
    mutating func write(_ scalars: ArraySlice<Unicode.Scalar>) {
        for scalar in scalars { write(scalar) }
    }

    /// Writes the folded form of one scalar.
    mutating func write(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value < 0x80 {
            writeASCII(UInt8(value))
        } else if let folded = LatinFoldingTable.folded(value) {
            writeFolded(folded)
        } else {
            writeOther(scalar)
        }
    }

    private mutating func writeASCII(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            appendWordByte(byte)
            alphanumericRun += 1
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            appendWordByte(byte + 32)
            alphanumericRun += 1
        case UInt8(ascii: "'"), UInt8(ascii: "`"):
            break
        case UInt8(ascii: "."):
            if alphanumericRun == 1 { alphanumericRun = 0 } else { separateWords() }
        case UInt8(ascii: "&"):
            separateWords()
            for letter in "and".utf8 { appendWordByte(letter) }
            separateWords()
        default:
            separateWords()
        }
    }

    private mutating func writeFolded(_ folded: [UInt8]) {
        guard !folded.isEmpty else { return }
        for byte in folded {
            if byte == UInt8(ascii: " ") { separateWords() } else { appendWordByte(byte) }
        }
        if folded.last != UInt8(ascii: " ") { alphanumericRun += 1 }
    }

    private mutating func writeOther(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x2018, 0x2019, 0x02BC: // typographic apostrophes
            return
        case 0xFF01...0xFF5E: // full-width ASCII
            writeASCII(UInt8(scalar.value - 0xFEE0))
            return
        default:
            break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format:
            return
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            for byte in properties.lowercaseMapping.utf8 { appendWordByte(byte) }
            alphanumericRun += 1
        default:
            separateWords()
        }
    }

    private mutating func appendWordByte(_ byte: UInt8) {
        if separatorIsPending, !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
        separatorIsPending = false
        bytes.append(byte)
    }
}
