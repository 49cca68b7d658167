/// The model generation one request is answered from, or why there is none.
///
/// Taken once per request from the `ServedModelHolder`; holding it keeps that generation's
/// mapping alive until the request is done, even if a reload swaps the holder meanwhile.
public struct ServedModelSnapshot: Sendable {
    /// The engine over the served generation, or `nil` when no model is served.
    public var engine: RecommendationEngine?
    /// Why no model is served (or why the newest one could not be opened), for the log.
    public var problem: String?
    /// Whether the served generation was withdrawn because its file changed on disk after it
    /// was validated: requests then get 503 `invalid_model` instead of `no_model`.
    public var isModelDamaged: Bool

    /// A snapshot serving `engine`.
    public init(engine: RecommendationEngine?, problem: String? = nil, isModelDamaged: Bool = false) {
        self.engine = engine
        self.problem = problem
        self.isModelDamaged = isModelDamaged
    }

    /// The served generation, or `nil`.
    public var generation: Int? { engine?.model.generation }
}
