import RecTelemetry

/// How the API's requests map onto the shared counters: one `endpoint` label per
/// `APIEndpoint`, then `other` for every path that is not an endpoint.
package enum APIMetrics {
    /// The `endpoint` label of requests to a path that is no endpoint.
    package static let otherEndpoint = "other"
    /// The `endpoint` label values in slot order: every endpoint's path, then `other`.
    package static let endpointLabels: [String] = APIEndpoint.allCases.map(\.path) + [otherEndpoint]

    /// The shared counters' layout for a pool of `workerCount` workers (one slot each, and the master's).
    package static func layout(workerCount: Int) -> MetricsLayout {
        MetricsLayout(endpoints: endpointLabels, slotCount: workerCount + 1)
    }

    /// The index of `path`'s label in `endpointLabels`: its endpoint's, or `other`'s.
    @inline(__always)
    package static func endpointIndex(path: String) -> Int {
        guard let endpoint = APIEndpoint(path: path), let index = APIEndpoint.allCases.firstIndex(of: endpoint) else {
            return endpointLabels.count - 1
        }
        return index
    }
}
