/// Where the worker pool listens for FastCGI connections from nginx: `REC_LISTEN`.
///
/// A unix socket is the default and the fastest; TCP is for containers, where nginx runs in
/// another one (`tcp:0.0.0.0:9000`).
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A unix-domain socket at this path.
    case unix(path: String)
    /// A TCP socket on this host (a numeric address or a name) and port.
    case tcp(host: String, port: UInt16)

    /// The environment variable that sets the address.
    public static let environmentVariable = "REC_LISTEN"

    /// The longest unix socket path the kernel takes (`sun_path` holds 108 bytes with the NUL).
    public static let maximumUnixPathBytes = 107

    /// The default: `unix:<data>/run/rec-fcgi.sock`.
    public static func defaultAddress(runDirectory: String) -> ListenAddress {
        .unix(path: runDirectory + "/rec-fcgi.sock")
    }

    /// Parses `unix:/path/to.sock`, `tcp:HOST:PORT`, `tcp:[IPv6]:PORT` or `tcp:PORT` (all
    /// interfaces).
    ///
    /// - Throws: `SettingsError` with code `invalidListenAddress`, naming what is wrong.
    public init(parsing text: String) throws(SettingsError) {
        func invalid(_ reason: String) -> SettingsError {
            SettingsError(
                .invalidListenAddress, setting: Self.environmentVariable, value: text,
                reason: reason + "; expected unix:/path/to.sock or tcp:HOST:PORT")
        }
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else { throw invalid("the socket path is empty") }
            guard path.utf8.count <= Self.maximumUnixPathBytes else {
                throw invalid("the socket path is longer than \(Self.maximumUnixPathBytes) bytes")
            }
            guard !path.utf8.contains(0) else { throw invalid("the socket path contains a NUL byte") }
            self = .unix(path: path)
            return
        }
        guard text.hasPrefix("tcp:") else { throw invalid("unknown scheme") }
        let rest = Substring(text.dropFirst("tcp:".count))
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("an IPv6 address lacks its closing ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let afterBracket = rest[rest.index(after: close)...]
            guard afterBracket.hasPrefix(":") else { throw invalid("the port is missing after the IPv6 address") }
            portText = afterBracket.dropFirst()
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
            guard !host.contains(":") else { throw invalid("an IPv6 address must be written in brackets, e.g. tcp:[::1]:9000") }
        } else {
            host = "0.0.0.0"
            portText = rest
        }
        guard !host.isEmpty else { throw invalid("the host is empty") }
        guard !portText.isEmpty, portText.utf8.count <= 5, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            throw invalid("the port is not a whole number from 1 to 65535")
        }
        self = .tcp(host: String(host), port: UInt16(port))
    }

    /// `unix:/path` or `tcp:host:port`, the form `REC_LISTEN` takes.
    public var description: String {
        switch self {
        case .unix(let path): return "unix:" + path
        case .tcp(let host, let port): return host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        }
    }
}
