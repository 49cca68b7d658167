/// Renders a `MetricsSnapshot` in Prometheus' text exposition format, version 0.0.4: a
/// `# HELP` and a `# TYPE` line per family, then its samples.
///
/// A pure function of the snapshot. swift-prometheus is not used for this: its registry renders
/// only what was recorded in its own process, and it cannot take a histogram's bucket counts
/// as given, which is all the pool's aggregate is (see docs/serving.md).
package enum PrometheusText {
    /// The `Content-Type` of the exposition.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition of `snapshot`.
    package static func render(_ snapshot: MetricsSnapshot) -> String {
        var text = ""
        text.reserveCapacity(256 + snapshot.requests.count * 80 + snapshot.durations.count * 1_400)
        family(&text, MetricNames.requests, "counter", "Requests answered by the pool's workers, by endpoint and HTTP status.")
        for request in snapshot.requests {
            sample(
                &text, MetricNames.requests,
                [(MetricNames.endpointLabel, request.endpoint), (MetricNames.statusLabel, String(request.status))],
                String(request.count))
        }
        family(
            &text, MetricNames.requestDuration, "histogram",
            "Time a worker took from taking a request to handing over its answer, by endpoint.")
        for histogram in snapshot.durations { durationSamples(&text, histogram, bounds: snapshot.bucketBoundsSeconds) }
        let scalars: [(name: String, type: String, help: String, value: UInt64)] = [
            (
                MetricNames.servedGeneration, "gauge", "The highest model generation a live worker serves; 0 for none.",
                snapshot.servedGeneration
            ),
            (MetricNames.reloads, "counter", "Reloads that took effect (/api/reload and SIGHUP).", snapshot.reloads),
            (MetricNames.refusedReloads, "counter", "Reloads refused or failed; the served generation stayed.", snapshot.refusedReloads),
            (MetricNames.workerRestarts, "counter", "Workers that ended while the pool ran and were replaced.", snapshot.workerRestarts),
            (
                MetricNames.modelFileBytes, "gauge", "The size of the served generation's model file in bytes; 0 for none.",
                snapshot.modelFileBytes
            ),
        ]
        for scalar in scalars {
            family(&text, scalar.name, scalar.type, scalar.help)
            sample(&text, scalar.name, [], String(scalar.value))
        }
        return text
    }

    /// The samples of one histogram: a bucket per bound and `+Inf`, the sum and the count.
    private static func durationSamples(_ text: inout String, _ histogram: MetricsSnapshot.DurationHistogram, bounds: [Double]) {
        let endpoint = (MetricNames.endpointLabel, histogram.endpoint)
        for (index, count) in histogram.cumulativeCounts.enumerated() {
            let bound = index < bounds.count ? number(bounds[index]) : "+Inf"
            sample(&text, MetricNames.requestDuration + "_bucket", [endpoint, ("le", bound)], String(count))
        }
        sample(&text, MetricNames.requestDuration + "_sum", [endpoint], number(Double(histogram.sumNanoseconds) / 1e9))
        sample(&text, MetricNames.requestDuration + "_count", [endpoint], String(histogram.count))
    }

    private static func family(_ text: inout String, _ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private static func sample(_ text: inout String, _ name: String, _ labels: [(String, String)], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " \(value)\n"
    }

    /// A label value with `\`, `"` and line feeds escaped, as the format requires.
    package static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// A float the way Prometheus reads it: `0.0005`, `1.0`, `2.5e-05`.
    package static func number(_ value: Double) -> String {
        value.isFinite ? String(value) : (value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN")
    }
}
