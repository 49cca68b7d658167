/// How the Latin-1 Supplement and Latin Extended-A letters (U+00A0 to U+017F) fold: accents
/// stripped, lowercased, ligatures and letters without a decomposition spelled out in ASCII.
///
/// Every accented letter of the MovieLens catalogues lies in this range, so a table lookup
/// keeps the per-query path free of Unicode normalisation. A space marks punctuation or a
/// symbol that separates words, and an empty entry a character dropped without separating
/// (the soft hyphen and the acute accent used as an apostrophe).
enum LatinFoldingTable {
    /// The first scalar value the table covers.
    static let firstScalar: UInt32 = 0xA0
    /// The scalar value just past the table.
    static let endScalar: UInt32 = 0x180

    /// The folded UTF-8 bytes of `scalar`, or nil when the table does not cover it.
    static func folded(_ scalar: UInt32) -> [UInt8]? {
        guard scalar >= firstScalar, scalar < endScalar else { return nil }
        return foldedBytes[Int(scalar - firstScalar)]
    }

    private static let foldedBytes: [[UInt8]] = folds.map { Array($0.utf8) }

    private static let folds: [String] = [
        // U+00A0 to U+00AF: no-break space ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ soft-hyphen ® ¯
        " ", " ", " ", " ", " ", " ", " ", " ", " ", " ", "a", " ", " ", "", " ", " ",
        // U+00B0 to U+00BF: ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿
        " ", " ", "2", "3", "", "\u{3BC}", " ", " ", " ", "1", "o", " ", "1 4", "1 2", "3 4", " ",
        // U+00C0 to U+00CF: À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        // U+00D0 to U+00DF: Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
        // U+00E0 to U+00EF: à á â ã ä å æ ç è é ê ë ì í î ï
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        // U+00F0 to U+00FF: ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
        // U+0100 to U+010F: Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
        "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
        // U+0110 to U+011F: Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
        "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
        // U+0120 to U+012F: Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
        "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
        // U+0130 to U+013F: İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
        "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
        // U+0140 to U+014F: ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
        "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
        // U+0150 to U+015F: Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
        "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
        // U+0160 to U+016F: Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
        "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
        // U+0170 to U+017F: Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
        "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
    ]
}
