import Foundation
import Logging
import Synchronization
import Testing
@testable import RecCore

/// Every caller of a reload (`/api/reload`, `SIGHUP`, training with `REC_AUTO_RELOAD=1`) goes
/// through `ServedModelControl.reload(dataDirectory:trigger:logger:)`, so each reports the same
/// outcome and logs the same lines, the durability warning included.
struct ServedModelReloadTests {
    let fixture = ServingFixture()

    @Test(arguments: ReloadTrigger.allCases)
    func aReloadInEffectIsLoggedOnceWithItsTrigger(_ trigger: ReloadTrigger) throws {
        try fixture.publishServedThenNext()
        let recorder = RecordingLogHandler()
        let outcome = try ServedModelControl.reload(dataDirectory: fixture.dataDirectory, trigger: trigger, logger: recorder.logger).get()
        #expect(outcome.generation == 2 && outcome.previousGeneration == 1)
        let records = recorder.records
        #expect(records.count == 1)
        #expect(records.first?.level == .info)
        #expect(records.first?.message == "reloaded the served model")
        #expect(records.first?.metadata["trigger"] == "\(trigger.rawValue)")
        #expect(records.first?.metadata["generation"] == "2")
        #expect(records.first?.metadata["previous_generation"] == "1")
    }

    /// The path `MyRecModel` used to take never logged this warning.
    @Test(arguments: ReloadTrigger.allCases)
    func aReloadThatIsNotDurableCarriesAndLogsTheWarning(_ trigger: ReloadTrigger) throws {
        try fixture.publishServedThenNext()
        let recorder = RecordingLogHandler()
        let outcome = try SystemCallFaults.$active.withValue(["msync": EIO]) {
            try ServedModelControl.reload(dataDirectory: fixture.dataDirectory, trigger: trigger, logger: recorder.logger).get()
        }
        #expect(outcome.generation == 2)
        let warning = try #require(outcome.durabilityWarning)
        #expect(recorder.records.map(\.level) == [.warning])
        #expect(recorder.records.first?.message == "reload is in effect but not durable")
        #expect(recorder.records.first?.metadata["warning"] == warning)
        #expect(recorder.records.first?.metadata["trigger"] == "\(trigger.rawValue)")
    }

    @Test func aRefusedReloadIsLoggedAsAnErrorWithItsCode() {
        let recorder = RecordingLogHandler()
        let outcome = ServedModelControl.reload(dataDirectory: fixture.dataDirectory, trigger: .signal, logger: recorder.logger)
        guard case .failure(let error) = outcome else {
            Issue.record("a reload without CURRENT must fail")
            return
        }
        #expect(error.code == .noModel)
        #expect(recorder.records.map(\.level) == [.error])
        #expect(recorder.records.first?.message == "reload refused; serving continues unchanged")
        #expect(recorder.records.first?.metadata["code"] == "\(error.code.rawValue)")
        #expect(recorder.records.first?.metadata["trigger"] == "SIGHUP")
    }

    @Test func theAPIReportsAndLogsWhatTheSharedReloadDoes() throws {
        try fixture.publish()
        let recorder = RecordingLogHandler()
        let service = APIService(
            settings: ServingFixture.settings(fixture.dataDirectory), workerCount: 1,
            startedAt: Date(timeIntervalSince1970: 1_764_000_000), processID: 4242, logger: recorder.logger)
        try fixture.publish()
        let response = service.respond(to: API.post("/api/reload", ""))
        #expect(response.status == 200, "\(response.text)")
        #expect(try response.json["generation"]?.number == 2)
        let reloads = recorder.records.filter { $0.message == "reloaded the served model" }
        #expect(reloads.count == 1)
        #expect(reloads.first?.metadata["trigger"] == "api")
        #expect(reloads.first?.metadata["previous_generation"] == "1")
    }

    @Test func trainingWithAutoReloadReportsTheOutcomeAndLogsItWithItsTrigger() throws {
        let recorder = RecordingLogHandler()
        let options = TrainedModelFixture.options()
        let model = MyRecModel(dataDirectory: fixture.dataDirectory, logger: recorder.logger, reloadsAfterTraining: true)
        let published = try model.train(dataset: options.datasetPath) { $0 = options }
        #expect(try published.reload?.get().generation == published.generation)
        let reloads = recorder.records.filter { $0.message == "reloaded the served model" }
        #expect(reloads.count == 1)
        #expect(reloads.first?.metadata["trigger"] == "training")
    }
}

/// A log handler that keeps every record, for tests that pin what is logged.
final class RecordingLogHandler: LogHandler, Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let stored = Mutex<[Record]>([])

    /// Every record so far, oldest first.
    var records: [Record] { stored.withLock { $0 } }

    /// A logger that writes to this handler only.
    var logger: Logger { Logger(label: "test.recording") { _ in self } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let flat = (event.metadata ?? [:]).mapValues { "\($0)" }
        stored.withLock { $0.append(Record(level: event.level, message: event.message.description, metadata: flat)) }
    }
}

extension ServingFixture {
    /// Publishes generation 1 and serves it (a worker creates the control file), then publishes
    /// generation 2, which the next reload puts in effect.
    func publishServedThenNext() throws {
        try publish()
        _ = holder()
        try publish()
    }
}
