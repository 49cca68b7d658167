import Foundation
import Testing
@testable import RecCore

/// `APIService`, a worker's whole API: reloads through the API reaching other workers, refused
/// generations, no model at all, and request ids.
struct APIServiceTests {
    let fixture = ServingFixture()

    private func generation(servedBy service: APIService) throws -> Int? {
        let health = service.respond(to: API.get("/api/health"))
        return try health.json["generation"]?.integer
    }

    @Test func reloadServesCurrentInEveryWorkerAndReportsThePreviousGeneration() throws {
        try fixture.publish()
        let first = fixture.service(), second = fixture.service()
        #expect(try generation(servedBy: first) == 1)
        #expect(try generation(servedBy: second) == 1)
        #expect(FileManager.default.fileExists(atPath: fixture.controlFilePath), "the first worker creates the control file")

        try fixture.publish()
        #expect(try fixture.store.currentGeneration() == 2)
        #expect(try generation(servedBy: first) == 1, "publishing alone does not change what is served")
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == 1)

        let reload = second.respond(to: API.post("/api/reload", ""))
        #expect(reload.status == 200, "\(reload.text)")
        let body = try reload.json
        #expect(body["generation"] == .number(2))
        #expect(body["previous_generation"] == .number(1))
        #expect(body["model"]?["generation"] == .number(2))
        #expect(body["model"]?["algorithm"] == .string("mf"))
        #expect(try generation(servedBy: second) == 2)
        #expect(try generation(servedBy: first) == 2, "the other worker follows on its next request")
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == 2)

        let again = try ServedModelControl.reloadFromCurrent(dataDirectory: fixture.dataDirectory)
        #expect(again.generation == 2 && again.previousGeneration == 2)
        #expect(again.changeCount > 2)
    }

    /// A worker limits reloads itself (2 a second, bursts of 5), for clients of the FastCGI
    /// socket that nginx's limit never sees.
    @Test func reloadsBeyondTheWorkersOwnRateAreRefusedWith429() throws {
        try fixture.publish()
        let service = fixture.service()
        let statuses = (0..<8).map { _ in service.respond(to: API.post("/api/reload", "")).status }
        #expect(statuses.prefix(5).allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(statuses.suffix(3).contains(429), "\(statuses)")
        let refused = service.respond(to: API.post("/api/reload", ""))
        if refused.status == 429 { #expect(refused.errorCode == "too_many_requests") }
    }

    @Test func theReloadRateLimitRefillsAtItsRate() {
        var limit = ReloadRateLimit(perSecond: 2, burst: 5)
        let second: Int64 = 1_000_000_000
        var admitted: [Bool] = []
        for now in [0, 0, 0, 0, 0, 0, second / 4, second / 2, second / 2] as [Int64] { admitted.append(limit.admit(now: now)) }
        // Five at once, then none; half a token after 250 ms, a whole one after 500 ms.
        #expect(admitted == [true, true, true, true, true, false, false, true, false])
        var later: [Bool] = []
        for _ in 0..<6 { later.append(limit.admit(now: 100 * second)) }
        #expect(later == [true, true, true, true, true, false], "refills up to the burst, no further")
    }

    @Test(arguments: ["checksum", "truncated"])
    func aCorruptGenerationIsRefusedAndTheOldOneStaysServed(kind: String) throws {
        try fixture.publish()
        let worker = fixture.service()
        #expect(try generation(servedBy: worker) == 1)
        try fixture.publish()
        if kind == "checksum" {
            try fixture.corruptFirstItemFactor(generation: 2)
        } else {
            let handle = try #require(FileHandle(forWritingAtPath: fixture.store.path(forGeneration: 2)))
            try handle.truncate(atOffset: 1000)
            try handle.close()
        }
        let reload = worker.respond(to: API.post("/api/reload", ""))
        #expect(reload.status == 409, "\(reload.text)")
        #expect(reload.errorCode == "invalid_model")
        #expect(try ServedModelControl.servedGeneration(dataDirectory: fixture.dataDirectory) == 1, "the control file is unchanged")
        #expect(try generation(servedBy: worker) == 1)
        #expect(try generation(servedBy: fixture.service()) == 1, "a new worker serves the old generation too")
    }

    @Test func withNothingPublishedEverythingAnswers503UntilAReload() throws {
        let worker = fixture.service()
        let health = worker.respond(to: API.get("/api/health"))
        #expect(health.status == 503)
        #expect(health.failure?.contains("names no generation") == true)
        #expect(worker.respond(to: API.post("/api/predict", #"[[1], [5]]"#)).errorCode == "no_model")
        let reload = worker.respond(to: API.post("/api/reload", ""))
        #expect(reload.status == 503)
        #expect(reload.errorCode == "no_model")

        try fixture.publish()
        #expect(worker.respond(to: API.get("/api/health")).status == 503, "training alone does not start serving")
        #expect(worker.respond(to: API.post("/api/reload", "")).status == 200)
        #expect(try generation(servedBy: worker) == 1)
        #expect(worker.respond(to: API.post("/api/predict", #"[[1], [5]]"#)).status == 200)
    }

    @Test func aServiceWithoutRequestIDsMakesOne() throws {
        try fixture.publish()
        let worker = fixture.service()
        let response = worker.respond(to: APIRequest(method: "GET", path: "/api/nope"))
        let generated = try #require(response.header("X-Request-Id"))
        #expect(generated.hasPrefix(String(4242, radix: 16) + "-"))
        #expect(try response.json["error"]?["request_id"] == .string(generated))
        #expect(worker.respond(to: API.get("/api/nope", requestID: "abc")).header("X-Request-Id") == nil)
    }
    @Test func trainingReloadsOnlyWhenAskedTo() throws {
        try fixture.publish()
        let worker = fixture.service()
        #expect(try generation(servedBy: worker) == 1)
        let options = TrainedModelFixture.options()
        let quiet = MyRecModel(dataDirectory: fixture.dataDirectory, logger: TrainedModelFixture.quietLogger, reloadsAfterTraining: false)
        let published = try quiet.train(dataset: options.datasetPath) { $0 = options }
        #expect(published.generation == 2 && published.reload == nil)
        #expect(try generation(servedBy: worker) == 1)

        let reloading = MyRecModel(
            dataDirectory: fixture.dataDirectory, logger: TrainedModelFixture.quietLogger, reloadsAfterTraining: true)
        let reloaded = try reloading.train(dataset: options.datasetPath) { $0 = options }
        #expect(reloaded.generation == 3)
        #expect(try reloaded.reload?.get().generation == 3)
        #expect(try generation(servedBy: worker) == 3)
        let fromSettings = MyRecModel(settings: try RecSettings(environment: ["REC_AUTO_RELOAD": "1", "REC_DATA_DIR": "/x"]))
        #expect(fromSettings.reloadsAfterTraining && fromSettings.dataDirectory.root == "/x")
        #expect(!MyRecModel().reloadsAfterTraining && MyRecModel().dataDirectory.root == "data")
    }

}
