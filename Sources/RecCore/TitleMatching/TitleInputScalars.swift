/// The Unicode scalars of a title or query as normalisation reads them: at most
/// `TitleNormalizer.maximumInputLength` of them, with HTML numeric character references
/// decoded.
///
/// The cap bounds the work any request can cause. MovieLens carries one title with an HTML
/// reference (`Et Dieu&#8230;Créa la Femme`); decoding it lets a query typed with the real
/// character, or without it, match.
enum TitleInputScalars {
    /// The scalars of `text`, capped and with `&#NNNN;` and `&#xHHHH;` decoded.
    static func scalars(of text: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(min(text.utf8.count, TitleNormalizer.maximumInputLength))
        for scalar in text.unicodeScalars {
            guard scalars.count < TitleNormalizer.maximumInputLength else { break }
            scalars.append(scalar)
        }
        guard scalars.contains("&") else { return scalars }
        return decodingCharacterReferences(scalars)
    }

    private static func decodingCharacterReferences(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var decoded: [Unicode.Scalar] = []
        decoded.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let (scalar, length) = characterReference(in: scalars, at: index) {
                decoded.append(scalar)
                index += length
            } else {
                decoded.append(scalars[index])
                index += 1
            }
        }
        return decoded
    }

    /// The scalar and length of a `&#NNNN;` or `&#xHHHH;` reference starting at `start`.
    private static func characterReference(in scalars: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        var index = start + 1
        guard index < scalars.count, scalars[index] == "#" else { return nil }
        index += 1
        var radix: UInt32 = 10
        if index < scalars.count, scalars[index] == "x" || scalars[index] == "X" {
            radix = 16
            index += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while index < scalars.count, digits < 7, let digit = digitValue(scalars[index], radix: radix) {
            value = value * radix + digit
            digits += 1
            index += 1
        }
        guard digits > 0, index < scalars.count, scalars[index] == ";", let scalar = Unicode.Scalar(value) else {
            return nil
        }
        return (scalar, index + 1 - start)
    }

    private static func digitValue(_ scalar: Unicode.Scalar, radix: UInt32) -> UInt32? {
        switch scalar.value {
        case 0x30...0x39: return scalar.value - 0x30
        case 0x61...0x66 where radix == 16: return scalar.value - 0x61 + 10
        case 0x41...0x46 where radix == 16: return scalar.value - 0x41 + 10
        default: return nil
        }
    }
}
