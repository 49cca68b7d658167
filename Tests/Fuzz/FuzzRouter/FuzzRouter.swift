import Foundation
import FuzzSupport
import RecCore

/// libFuzzer target: `APIRouter.respond(to:served:)`, the whole HTTP API without sockets, on
/// requests whose method, path, query string and body all come from the input.
///
/// The input is `METHOD \n PATH \n QUERY \n BODY`: the first three lines, then every byte
/// left as the body (missing parts are empty). The router serves the small committed model
/// `Tests/Fuzz/Corpus/ModelFile/seed-svdpp.recmodel`, from a scratch data folder with a short
/// log, and its reload action alternates between the three failures and a success, so
/// `/api/reload` is exercised without touching any real model store.
///
/// Beyond "never crashes", every answer must have a status from 100 to 599, a JSON content
/// type with a body `JSONParser` accepts (unless it streams a file), and a 405 must say `Allow`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var parts: [ArraySlice<UInt8>] = []
    var rest = bytes[...]
    for _ in 0..<3 {
        guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else { break }
        parts.append(ArraySlice(rest[..<newline]))
        rest = rest[(newline + 1)...]
    }
    while parts.count < 3 { parts.append([]);  }
    let request = APIRequest(
        method: String(decoding: parts[0], as: UTF8.self), path: String(decoding: parts[1], as: UTF8.self),
        query: String(decoding: parts[2], as: UTF8.self), body: Array(rest), requestID: "fuzz")
    let response = RouterFixture.shared.router.respond(to: request, served: RouterFixture.shared.served)
    check(response, for: request)
    return 0
}

private func check(_ response: APIResponse, for request: APIRequest) {
    FuzzSupport.require((100...599).contains(response.status), "status \(response.status)")
    if response.status == 405 {
        FuzzSupport.require(response.header("Allow") != nil, "a 405 without Allow")
    }
    guard response.bodyFilePath == nil, response.status != 204, response.contentType.hasPrefix("application/json") else { return }
    do {
        _ = try JSONParser.parse(response.body)
    } catch {
        FuzzSupport.require(false, "\(request.method) \(request.path) answered \(response.status) with a body that is not JSON: \(error)")
    }
}

private let routerDataRoot = FuzzSupport.scratchFile("router-data")

/// The router, the served model and the scratch data folder, made once per process.
private final class RouterFixture: Sendable {
    static let shared = RouterFixture()

    let router: APIRouter
    let served: ServedModelSnapshot

    private init() {
        let root = routerDataRoot
        try? FileManager.default.removeItem(atPath: root)
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let dataDirectory = DataDirectory(root: root)
        let log = (1...30).map { "2026-11-26T12:00:\(String(format: "%02d", $0))Z info request \($0) \"quoted\" é\n" }.joined()
        try! Data(log.utf8).write(to: URL(fileURLWithPath: dataDirectory.logFile))
        atexit { try? FileManager.default.removeItem(atPath: routerDataRoot) }

        let model: LoadedModel
        do {
            model = try LoadedModel.open(path: FuzzSupport.seedModelPath, generation: 1, verifyContents: true)
        } catch {
            fatalError("the router target needs the committed seed model: \(error)")
        }
        served = ServedModelSnapshot(engine: RecommendationEngine(model: model))
        let reloads = ReloadCounter()
        router = APIRouter(
            service: ServiceDescription(
                build: BuildInfo(version: "0.0.0", gitSHA: "fuzz", buildDate: "2026-01-01T00:00:00Z", source: "fuzz"),
                startedAt: "2026-01-01T00:00:00Z", workers: 1, processID: 1),
            credentials: ServiceCredentials.builtIn, dataDirectory: dataDirectory, adminToken: nil,
            reload: { () -> Result<ReloadOutcome, ReloadError> in
                switch reloads.next() % 4 {
                case 0: return .failure(ReloadError(.noModel, "no model"))
                case 1: return .failure(ReloadError(.invalidModel, "invalid \"model\""))
                case 2: return .failure(ReloadError(.controlFileFailure, "control file"))
                default:
                    return .success(
                        ReloadOutcome(
                            generation: 2, previousGeneration: 1, changeCount: 3, model: model,
                            durabilityWarning: "not synced"))
                }
            })
    }
}

private final class ReloadCounter: @unchecked Sendable {
    private var count = 0
    func next() -> Int { count += 1; return count }
}
