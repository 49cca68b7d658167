import Testing
@testable import RecCore

/// The text exposition `/api/metrics` sends, rendered from snapshots made by hand.
struct PrometheusTextTests {
    private let snapshot = MetricsSnapshot(
        bucketBoundsSeconds: [0.0005, 1, 10],
        requests: [
            .init(endpoint: "/api/predict", status: 200, count: 37), .init(endpoint: "/api/predict", status: 400, count: 5),
        ],
        durations: [.init(endpoint: "/api/predict", cumulativeCounts: [30, 41, 42, 42], sumNanoseconds: 1_500_000_000)],
        servedGeneration: 3, modelFileBytes: 123_456, reloads: 2, refusedReloads: 1, workerRestarts: 4)

    @Test func everyFamilyHasHelpTypeAndItsSamples() {
        let expected = """
            # HELP recserve_requests_total Requests answered by the pool's workers, by endpoint and HTTP status.
            # TYPE recserve_requests_total counter
            recserve_requests_total{endpoint="/api/predict",status="200"} 37
            recserve_requests_total{endpoint="/api/predict",status="400"} 5
            # HELP recserve_request_duration_seconds Time a worker took from taking a request to handing over its answer, by endpoint.
            # TYPE recserve_request_duration_seconds histogram
            recserve_request_duration_seconds_bucket{endpoint="/api/predict",le="0.0005"} 30
            recserve_request_duration_seconds_bucket{endpoint="/api/predict",le="1.0"} 41
            recserve_request_duration_seconds_bucket{endpoint="/api/predict",le="10.0"} 42
            recserve_request_duration_seconds_bucket{endpoint="/api/predict",le="+Inf"} 42
            recserve_request_duration_seconds_sum{endpoint="/api/predict"} 1.5
            recserve_request_duration_seconds_count{endpoint="/api/predict"} 42
            # HELP recserve_served_generation The highest model generation a live worker serves; 0 for none.
            # TYPE recserve_served_generation gauge
            recserve_served_generation 3
            # HELP recserve_reloads_total Reloads that took effect (/api/reload and SIGHUP).
            # TYPE recserve_reloads_total counter
            recserve_reloads_total 2
            # HELP recserve_reloads_refused_total Reloads refused or failed; the served generation stayed.
            # TYPE recserve_reloads_refused_total counter
            recserve_reloads_refused_total 1
            # HELP recserve_worker_restarts_total Workers that ended while the pool ran and were replaced.
            # TYPE recserve_worker_restarts_total counter
            recserve_worker_restarts_total 4
            # HELP recserve_model_file_bytes The size of the served generation's model file in bytes; 0 for none.
            # TYPE recserve_model_file_bytes gauge
            recserve_model_file_bytes 123456

            """
        #expect(PrometheusText.render(snapshot) == expected)
    }

    @Test func aPoolWithNoRequestsStillDeclaresEveryFamily() {
        let empty = MetricsSnapshot(
            bucketBoundsSeconds: [0.0005], requests: [], durations: [], servedGeneration: 0, modelFileBytes: 0, reloads: 0,
            refusedReloads: 0, workerRestarts: 0)
        let text = PrometheusText.render(empty)
        for name in [
            MetricNames.requests, MetricNames.requestDuration, MetricNames.servedGeneration, MetricNames.reloads,
            MetricNames.refusedReloads, MetricNames.workerRestarts, MetricNames.modelFileBytes,
        ] {
            #expect(text.contains("# TYPE \(name) "), "\(name)")
        }
        #expect(text.contains("recserve_served_generation 0\n"))
        #expect(!text.contains("{"), "no labelled sample without a request")
    }

    @Test func theRenderingIsWhatTheAggregationOfASlotGives() {
        let layout = MetricsLayout(endpoints: ["/api/health", "other"], slotCount: 1)
        var slot = MetricsSlotValues(layout: layout)
        slot.recordRequest(endpoint: 0, status: 200, nanoseconds: 250_000, layout: layout)
        slot.recordRequest(endpoint: 0, status: 503, nanoseconds: 2_000_000, layout: layout)
        let text = PrometheusText.render(MetricsSnapshot.aggregating([slot], layout: layout) { _ in true })
        #expect(text.contains(#"recserve_requests_total{endpoint="/api/health",status="503"} 1"#))
        #expect(text.contains(#"recserve_request_duration_seconds_bucket{endpoint="/api/health",le="0.0001"} 0"#))
        #expect(text.contains(#"recserve_request_duration_seconds_bucket{endpoint="/api/health",le="0.00025"} 1"#))
        #expect(text.contains(#"recserve_request_duration_seconds_bucket{endpoint="/api/health",le="0.0005"} 1"#))
        #expect(text.contains(#"recserve_request_duration_seconds_bucket{endpoint="/api/health",le="0.0025"} 2"#))
        #expect(text.contains(#"recserve_request_duration_seconds_sum{endpoint="/api/health"} 0.00225"#))
        #expect(text.contains(#"recserve_request_duration_seconds_count{endpoint="/api/health"} 2"#))
        #expect(!text.contains(#"endpoint="other""#))
    }

    @Test func labelValuesAreEscapedAndNumbersReadAsPrometheusFloats() {
        #expect(PrometheusText.escaped(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(PrometheusText.escaped("two\nlines") == #"two\nlines"#)
        #expect(PrometheusText.escaped("/api/predict") == "/api/predict")
        #expect(PrometheusText.number(0.0005) == "0.0005")
        #expect(PrometheusText.number(2.5) == "2.5")
        #expect(PrometheusText.number(.infinity) == "+Inf" && PrometheusText.number(-.infinity) == "-Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
        #expect(Double(PrometheusText.number(0.000012)) == 0.000012)
    }

    @Test func theContentTypeIsTheTextFormatsVersion() {
        #expect(PrometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}
