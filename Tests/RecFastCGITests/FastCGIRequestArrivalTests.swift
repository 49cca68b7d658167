import RecFastCGI
import Testing

/// `FastCGIRequestArrival`: a request is ready once its records reach the empty `FCGI_STDIN`
/// record that ends it.
struct FastCGIRequestArrivalTests {
    /// One FastCGI record of `type` with `content` and `padding` bytes of padding.
    private func record(_ type: UInt8, _ content: [UInt8] = [], padding: UInt8 = 0) -> [UInt8] {
        [1, type, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xFF), padding, 0] + content
            + [UInt8](repeating: 0, count: Int(padding))
    }

    private func classify(_ bytes: [UInt8], full: Bool = false) -> FastCGIRequestArrival {
        bytes.withUnsafeBytes { FastCGIRequestArrival.classify($0, isBufferFull: full) }
    }

    @Test func aRequestIsReadyOnlyWithItsEmptyStandardInputRecord() {
        let begin = record(1, [0, 1, 0, 0, 0, 0, 0, 0])
        let parameters = record(4, Array("\u{0B}\u{03}SCRIPT_NAMEabc".utf8), padding: 3) + record(4)
        let body = record(5, Array("[[1],[5]]".utf8), padding: 7)
        let whole = begin + parameters + body + record(5)
        #expect(classify(whole) == .ready)
        #expect(classify(begin + parameters + record(5)) == .ready, "a request without a body")
        for cut in 0..<whole.count {
            #expect(classify(Array(whole.prefix(cut))) == .incomplete, "cut at \(cut)")
        }
        #expect(classify(Array(whole.prefix(20)), full: true) == .ready, "a full peek buffer is served as it is")
        #expect(classify([0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54, 0x54]) == .ready, "not FastCGI: let libfcgi refuse it")
    }
}
