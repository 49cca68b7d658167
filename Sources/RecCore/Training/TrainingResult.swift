import RecModelFile

/// One hyper-parameter candidate tried on the validation split.
public struct CandidateResult: Sendable, Equatable {
    /// The overrides of the defaults this candidate used.
    public var overrides: [String: Double]
    /// The best validation RMSE it reached.
    public var validationRMSE: Double
    /// The epoch at which it reached it (1 for models without epochs).
    public var bestEpoch: Int
}

/// Wall-clock seconds spent in each training stage.
public struct TrainingTimings: Sendable, Equatable {
    /// Reading and indexing the ratings and the catalogue.
    public var loadSeconds: Double = 0
    /// Fitting every candidate on the validation split.
    public var searchSeconds: Double = 0
    /// Refitting the chosen candidate on all ratings, similar-movie lists included (it runs at
    /// the same time as the search when the search cannot change it).
    public var finalFitSeconds: Double = 0
    /// Computing similar-movie lists (overlaps the final fit when two cores are available).
    public var neighbourSeconds: Double = 0
    /// Choosing and building the ranking model, after the fits.
    public var rankingSeconds: Double = 0
    /// Everything, end to end.
    public var totalSeconds: Double = 0
}

/// The outcome of a training run: the artifact to publish and how it was chosen.
public struct TrainingResult: Sendable {
    /// The trained model, ready for `ModelStore.publish`.
    public var artifact: ModelArtifact
    /// The chosen candidate's validation RMSE, or nil without a validation split.
    public var validationRMSE: Double?
    /// The final model's RMSE on its own training ratings.
    public var trainingRMSE: Double
    /// Every candidate tried, in grid order.
    public var candidates: [CandidateResult]
    /// Where the time went.
    public var timings: TrainingTimings
}
