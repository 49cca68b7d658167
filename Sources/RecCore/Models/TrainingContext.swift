/// One step of training, reported to the caller for progress lines and logs.
public struct TrainingProgress: Sendable, Equatable {
    /// What is being trained, for example `svdpp` or `svdpp (final fit)`.
    public var stage: String
    /// The 1-based epoch (or sweep) just finished.
    public var epoch: Int
    /// The number of epochs planned.
    public var epochCount: Int
    /// RMSE on the validation ratings after this epoch, when a validation set was given.
    public var validationRMSE: Double?
    /// Seconds spent in this stage so far.
    public var elapsedSeconds: Double

    /// Creates a progress report.
    public init(stage: String, epoch: Int, epochCount: Int, validationRMSE: Double?, elapsedSeconds: Double) {
        self.stage = stage
        self.epoch = epoch
        self.epochCount = epochCount
        self.validationRMSE = validationRMSE
        self.elapsedSeconds = elapsedSeconds
    }
}

/// What a model's training run may use besides the ratings: reproducible randomness, the
/// validation ratings for progress and early stopping, threads, and a progress callback.
public struct TrainingContext: Sendable {
    /// The seed every random choice of the run derives from.
    public var seed: UInt64
    /// Ratings held out from training, used only to report RMSE per epoch and to stop early.
    public var validation: IndexedRatings?
    /// Stop after this many epochs without a better validation RMSE; nil runs every epoch.
    public var earlyStoppingPatience: Int?
    /// How many threads the hot loops may use.
    public var threadCount: Int
    /// A label for progress reports.
    public var stage: String
    /// Receives a report after every epoch.
    public var report: @Sendable (TrainingProgress) -> Void

    /// Creates a context; by default no validation, no early stopping, one thread, no reports.
    public init(
        seed: UInt64, validation: IndexedRatings? = nil, earlyStoppingPatience: Int? = nil, threadCount: Int = 1,
        stage: String = "", report: @escaping @Sendable (TrainingProgress) -> Void = { _ in }
    ) {
        self.seed = seed
        self.validation = validation
        self.earlyStoppingPatience = earlyStoppingPatience
        self.threadCount = max(1, threadCount)
        self.stage = stage
        self.report = report
    }
}

/// Tracks validation RMSE across epochs and decides when training should stop.
///
/// Trainers call `record` after every epoch; it reports progress and answers whether to stop,
/// which is when `earlyStoppingPatience` epochs in a row failed to improve on the best RMSE.
struct EpochMonitor {
    private let context: TrainingContext
    private let epochCount: Int
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// Validation RMSE after each epoch so far.
    private(set) var history: [Double] = []

    init(context: TrainingContext, epochCount: Int) {
        self.context = context
        self.epochCount = epochCount
        start = clock.now
    }

    /// The 1-based epoch with the lowest validation RMSE so far, if any was measured.
    var bestEpoch: Int? {
        history.indices.min(by: { history[$0] < history[$1] }).map { $0 + 1 }
    }

    /// Records a finished epoch; `predict` scores the validation set when one is present.
    /// Returns true when training should stop now.
    mutating func record(epoch: Int, predict: (Int, Int) -> Float) -> Bool {
        record(epoch: epoch, validationRMSE: context.validation.map { RatingMetrics.rmse(of: $0, predict: predict) })
    }

    /// Records a finished epoch whose validation RMSE the trainer computed itself (for
    /// example over averaged samples). Returns true when training should stop now.
    mutating func record(epoch: Int, validationRMSE: Double?) -> Bool {
        if let validationRMSE { history.append(validationRMSE) }
        let elapsed = clock.now - start
        context.report(
            TrainingProgress(
                stage: context.stage, epoch: epoch, epochCount: epochCount,
                validationRMSE: validationRMSE,
                elapsedSeconds: elapsed.inSeconds))
        guard let patience = context.earlyStoppingPatience, let best = bestEpoch else { return false }
        return epoch - best >= patience
    }
}
