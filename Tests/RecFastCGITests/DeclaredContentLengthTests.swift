import RecFastCGI
import Testing

struct DeclaredContentLengthTests {
    static let cases: [(text: String, expected: DeclaredContentLength)] = [
        ("", .absent),
        ("  ", .absent),
        ("0", .bytes(0)),
        ("12", .bytes(12)),
        (" 65536\t", .bytes(65_536)),
        ("007", .bytes(7)),
        ("99999999999999999999999999", .bytes(Int.max)),
        ("+5", .invalid),
        ("-1", .invalid),
        ("1e3", .invalid),
        ("0x10", .invalid),
        ("12 34", .invalid),
        ("12,5", .invalid),
        ("٣", .invalid),
    ]

    @Test(arguments: cases)
    func parses(text: String, expected: DeclaredContentLength) {
        #expect(DeclaredContentLength(parsing: text) == expected)
    }
}
