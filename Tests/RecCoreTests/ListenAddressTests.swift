import RecCore
import Testing

struct ListenAddressTests {
    static let valid: [(text: String, expected: ListenAddress)] = [
        ("unix:/tmp/rec.sock", .unix(path: "/tmp/rec.sock")),
        ("unix:data/run/rec-fcgi.sock", .unix(path: "data/run/rec-fcgi.sock")),
        ("tcp:0.0.0.0:9000", .tcp(host: "0.0.0.0", port: 9000)),
        ("tcp:127.0.0.1:1", .tcp(host: "127.0.0.1", port: 1)),
        ("tcp:localhost:65535", .tcp(host: "localhost", port: 65_535)),
        ("tcp:[::1]:9000", .tcp(host: "::1", port: 9000)),
        ("tcp:9000", .tcp(host: "0.0.0.0", port: 9000)),
    ]

    @Test(arguments: valid)
    func parses(text: String, expected: ListenAddress) throws {
        #expect(try ListenAddress(parsing: text) == expected)
    }

    static let invalid = [
        "", "/tmp/rec.sock", "unix:", "udp:1.2.3.4:5", "tcp:", "tcp:host:", "tcp:host:0", "tcp:host:65536", "tcp:host:-1",
        "tcp:host:+80", "tcp:host:80x", "tcp::80", "tcp:::1:80", "tcp:[::1]80", "tcp:[::1:80", "tcp:[]:80",
        "unix:/" + String(repeating: "a", count: 107),
    ]

    @Test(arguments: invalid)
    func refuses(text: String) {
        #expect(throws: SettingsError.self) { try ListenAddress(parsing: text) }
        do {
            _ = try ListenAddress(parsing: text)
        } catch {
            #expect(error.code == .invalidListenAddress)
            #expect(error.setting == "REC_LISTEN")
        }
    }

    @Test func describesItselfTheWayItIsWritten() throws {
        for text in ["unix:/tmp/rec.sock", "tcp:0.0.0.0:9000", "tcp:[::1]:9000"] {
            #expect(try ListenAddress(parsing: text).description == text)
        }
        #expect(ListenAddress.defaultAddress(runDirectory: "data/run") == .unix(path: "data/run/rec-fcgi.sock"))
    }
}
