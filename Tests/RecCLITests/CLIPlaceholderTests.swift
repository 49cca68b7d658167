import Testing

struct CLIPlaceholderTests {
    @Test func packageBuilds() { #expect(Bool(true)) }
}
