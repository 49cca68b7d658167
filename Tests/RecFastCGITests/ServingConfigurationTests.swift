import RecCore
import RecFastCGI
import Testing

struct ServingConfigurationTests {
    private let data = DataDirectory(root: "/srv/data")

    @Test func defaultsFollowTheDataFolderAndTheCores() throws {
        let configuration = try ServingConfiguration(environment: [:], dataDirectory: data, processorCount: 2)
        #expect(
            configuration
                == ServingConfiguration(
                    listenAddress: .unix(path: "/srv/data/run/rec-fcgi.sock"), workerCount: 2,
                    maximumRequestsPerWorker: 0, graceSeconds: 10, requestTimeoutSeconds: 10,
                    helloRouteEnabled: false))
    }

    @Test func readsEverySetting() throws {
        let configuration = try ServingConfiguration(
            environment: [
                "REC_LISTEN": "tcp:0.0.0.0:9000", "REC_WORKERS": "4", "REC_MAX_REQUESTS": "10000", "REC_GRACE_SECONDS": "0",
                "REC_REQUEST_TIMEOUT_SECONDS": "3", "REC_HELLO_ROUTE": "yes",
            ], dataDirectory: data, processorCount: 2)
        #expect(
            configuration
                == ServingConfiguration(
                    listenAddress: .tcp(host: "0.0.0.0", port: 9000), workerCount: 4,
                    maximumRequestsPerWorker: 10_000, graceSeconds: 0, requestTimeoutSeconds: 3,
                    helloRouteEnabled: true))
    }

    @Test func emptyValuesMeanTheDefault() throws {
        let configuration = try ServingConfiguration(
            environment: ["REC_WORKERS": "", "REC_LISTEN": ""], dataDirectory: data, processorCount: 3)
        #expect(configuration.workerCount == 3)
    }

    static let invalid: [(variable: String, value: String, code: ServingConfigurationError.Code)] = [
        ("REC_WORKERS", "0", .invalidNumber),
        ("REC_WORKERS", "257", .invalidNumber),
        ("REC_WORKERS", "two", .invalidNumber),
        ("REC_WORKERS", "-1", .invalidNumber),
        ("REC_WORKERS", " 2", .invalidNumber),
        ("REC_MAX_REQUESTS", "1e6", .invalidNumber),
        ("REC_MAX_REQUESTS", "99999999999999999999", .invalidNumber),
        ("REC_GRACE_SECONDS", "3601", .invalidNumber),
        ("REC_REQUEST_TIMEOUT_SECONDS", "0", .invalidNumber),
        ("REC_HELLO_ROUTE", "maybe", .invalidSwitch),
        ("REC_LISTEN", "tcp:host", .invalidListenAddress),
    ]

    @Test(arguments: invalid)
    func refusesValuesItCannotUse(variable: String, value: String, code: ServingConfigurationError.Code) {
        do {
            _ = try ServingConfiguration(environment: [variable: value], dataDirectory: data, processorCount: 2)
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.code == code)
            #expect(error.setting == variable || code == .invalidListenAddress)
            #expect(error.description.contains(value))
        }
    }

    @Test func defaultWorkerCountStaysInRange() throws {
        #expect(try ServingConfiguration(environment: [:], dataDirectory: data, processorCount: 0).workerCount == 1)
        #expect(try ServingConfiguration(environment: [:], dataDirectory: data, processorCount: 1_000).workerCount == 256)
    }
}
