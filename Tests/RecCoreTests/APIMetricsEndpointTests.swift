import CoreMetrics
import Foundation
import Testing
@testable import RecCore

/// `GET /api/metrics` through the router and a worker's service: its methods, its 404 when
/// metrics are off, its 503 when the counters cannot be read, and what it reports.
struct APIMetricsEndpointTests {
    let fixture = ServingFixture()
    private static let snapshot = MetricsSnapshot(
        bucketBoundsSeconds: [0.0005], requests: [.init(endpoint: "/api/health", status: 200, count: 2)],
        durations: [.init(endpoint: "/api/health", cumulativeCounts: [2, 2], sumNanoseconds: 300_000)], servedGeneration: 1,
        modelFileBytes: 10, reloads: 0, refusedReloads: 0, workerRestarts: 0)

    private func router(_ metrics: (@Sendable () throws(MetricsError) -> MetricsSnapshot)?) -> APIRouter {
        var router = fixture.router()
        router.metricsSnapshot = metrics
        return router
    }

    private func respond(_ request: APIRequest, metrics: (@Sendable () throws(MetricsError) -> MetricsSnapshot)?) -> APIResponse {
        router(metrics).respond(to: request, served: ServedModelSnapshot(engine: nil))
    }

    @Test func getAndHeadAnswerTheTextFormat() {
        for method in ["GET", "HEAD"] {
            let response = respond(APIRequest(method: method, path: "/api/metrics"), metrics: { Self.snapshot })
            #expect(response.status == 200)
            #expect(response.contentType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.text == PrometheusText.render(Self.snapshot))
        }
        let slash = respond(API.get("/api/metrics/"), metrics: { Self.snapshot })
        #expect(slash.status == 200)
    }

    @Test func otherMethodsAre405AndOptionsListsGetAndHead() {
        for method in ["POST", "PUT", "DELETE"] {
            let response = respond(APIRequest(method: method, path: "/api/metrics"), metrics: { Self.snapshot })
            #expect(response.status == 405)
            #expect(response.errorCode == "method_not_allowed")
            #expect(response.header("Allow") == "GET, HEAD")
        }
        let options = respond(APIRequest(method: "OPTIONS", path: "/api/metrics"), metrics: { Self.snapshot })
        #expect(options.status == 204)
        #expect(options.header("Allow") == "GET, HEAD, OPTIONS")
    }

    @Test func withMetricsOffTheEndpointDoesNotExist() {
        for method in ["GET", "HEAD", "OPTIONS", "POST"] {
            let response = respond(APIRequest(method: method, path: "/api/metrics"), metrics: nil)
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
            #expect(!response.text.contains("/api/metrics,") && !response.text.hasSuffix("/api/metrics"))
        }
        let listed = respond(API.get("/api/nothing"), metrics: { Self.snapshot })
        #expect(listed.text.contains("/api/metrics"), "with metrics on, the 404 lists it")
    }

    @Test func unreadableCountersAre503MetricsUnavailable() {
        let response = respond(
            API.get("/api/metrics"), metrics: { () throws(MetricsError) -> MetricsSnapshot in throw MetricsError(.unavailable, "no file") })
        #expect(response.status == 503)
        #expect(response.errorCode == "metrics_unavailable")
        #expect(response.failure == "no file")
    }

    @Test func aWorkersServiceReportsItsGenerationReloadsAndRequests() throws {
        try fixture.publish()
        let pool = try MetricsTestPool()
        let factory = pool.factory()
        let service = withMetricsFactory(factory) {
            APIService(
                settings: ServingFixture.settings(fixture.dataDirectory), workerCount: 1,
                startedAt: Date(timeIntervalSince1970: 1_764_000_000), processID: 4242, logger: TrainedModelFixture.quietLogger,
                metricsSnapshot: { pool.snapshot })
        }
        let fileSize = try SystemCalls.fileStatus(fixture.store.path(forGeneration: 1)).size
        #expect(pool.snapshot.servedGeneration == 1 && pool.snapshot.modelFileBytes == UInt64(fileSize), "recorded at start")

        try fixture.publish()
        let reload = withMetricsFactory(factory) { service.respond(to: API.post("/api/reload", "")) }
        #expect(reload.status == 200, "\(reload.text)")
        _ = service.respond(to: API.get("/api/health"))
        let metrics = service.respond(to: API.get("/api/metrics"))
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("recserve_served_generation 2\n"))
        #expect(metrics.text.contains("recserve_reloads_total 1\n"))
        #expect(metrics.text.contains("recserve_reloads_refused_total 0\n"))
    }

    @Test func theDefaultServiceHasNoMetricsEndpoint() {
        let response = fixture.service().respond(to: API.get("/api/metrics"))
        #expect(response.status == 404)
        #expect(response.errorCode == "not_found")
    }

    @Test func everyEndpointHasALabelAndEveryOtherPathIsOther() {
        #expect(APIMetrics.endpointLabels == APIEndpoint.allCases.map(\.path) + ["other"])
        for (index, endpoint) in APIEndpoint.allCases.enumerated() {
            #expect(APIMetrics.endpointIndex(path: endpoint.path) == index)
            #expect(APIMetrics.endpointIndex(path: endpoint.path + "/") == index)
        }
        for path in ["/", "/api/", "/api/predictx", "/bench/hello", ""] {
            #expect(APIMetrics.endpointIndex(path: path) == APIMetrics.endpointLabels.count - 1)
        }
        #expect(APIMetrics.layout(workerCount: 3).slotCount == 4)
    }
}
