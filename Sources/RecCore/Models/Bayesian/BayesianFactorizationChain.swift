import Synchronization
import RecSupport

/// Runs a Gibbs-sampling chain for Bayesian matrix factorisation, optionally with the
/// implicit feedback of flipped SVD++, and averages the kept samples.
///
/// The model is `r_ui ~ Normal(μ + b_u + b_i + x_u·w_i, α⁻¹)` with `μ` the training mean,
/// Normal–Gamma hierarchical priors on biases and on every factor (`NormalGammaPrior`), and
/// `α ~ Gamma((1 + N) / 2, (1 + Σ e²) / 2)`. With implicit feedback the prior mean of `x_u`
/// adds `n_u^-½ Σ_{j∈N(u)} y_j` and that of `w_i` adds `n_i^-½ Σ_{v∈M(i)} z_v`
/// (`ImplicitFeedbackRegression`), using only which pairs the training ratings contain.
/// One sweep draws the user-side hyper-parameters, every user (in parallel, each from its
/// own random stream so the result does not depend on the thread count), the `y`, then the
/// same for items and the `z`, then `α`. After `burnIn` sweeps every sample is added to
/// running sums; the chain returns their means and, when a validation set is given, the RMSE
/// of the averaged predictions on it.
enum BayesianFactorizationChain {
    /// Rows handed to a thread at a time.
    static let rowBlock = 32

    /// Runs the chain on `ratings`.
    static func run(on ratings: IndexedRatings, settings: BayesianFactorizationSettings, context: TrainingContext) -> BayesianPosterior {
        var generator = SeededRandomNumberGenerator.stream(3, of: context.seed)
        let factorCount = settings.factorCount
        let deviation = settings.initialStandardDeviation
        let users = BayesianChainSide(
            offsets: ratings.userOffsets, others: ratings.itemsByUser, ratings: ratings.ratingsByUser,
            ownerOffsets: ratings.itemOffsets, ownerLinks: ratings.usersByItem,
            factorCount: factorCount, deviation: deviation, generator: &generator)
        let items = BayesianChainSide(
            offsets: ratings.itemOffsets, others: ratings.usersByItem, ratings: ratings.ratingsByItem,
            ownerOffsets: ratings.userOffsets, ownerLinks: ratings.itemsByUser,
            factorCount: factorCount, deviation: deviation, generator: &generator)
        let mean = ratings.meanRating
        if settings.usesImplicitFeedback {
            for side in [users, items] {
                let weights = side.countNormalizedWeights()
                side.groups.append(
                    ImplicitFeedbackGroup(
                        rowWeights: weights.rowOrder, ownerWeights: weights.ownerOrder,
                        ownerOffsets: side.ownerOffsets, stride: side.stride))
            }
        }
        var noisePrecision: Float = 1
        let accumulator = BayesianPosteriorAccumulator(
            users: users, items: items, usesImplicitFeedback: settings.usesImplicitFeedback,
            keptSamples: settings.keptSamples, sampleGroups: settings.sampleGroups,
            alignsSamples: settings.alignsSamples)
        var validationSums = [Double](repeating: 0, count: context.validation?.count ?? 0)
        var monitor = EpochMonitor(context: context, epochCount: settings.sweeps)
        let burnIn = min(settings.burnIn, settings.sweeps - 1)
        var averagedValidationRMSE: Double?

        for sweep in 1...settings.sweeps {
            _ = sweepSide(
                users, against: items, globalMean: mean, noisePrecision: noisePrecision,
                noiseDegreesOfFreedom: settings.noiseDegreesOfFreedom, generator: &generator, threadCount: context.threadCount)
            let itemError = sweepSide(
                items, against: users, globalMean: mean, noisePrecision: noisePrecision,
                noiseDegreesOfFreedom: settings.noiseDegreesOfFreedom, generator: &generator,
                threadCount: context.threadCount)
            let hyperShape = NormalGammaPrior.hyperShape
            noisePrecision = Float(generator.nextGamma(shape: (hyperShape + Double(ratings.count)) / 2, rate: (hyperShape + itemError) / 2))

            var validationRMSE: Double?
            if let validation = context.validation {
                let keptCount = max(sweep - burnIn, 0)
                validationRMSE = Self.validationRMSE(
                    on: validation, users: users, items: items, globalMean: mean,
                    keptCount: keptCount, sums: &validationSums)
                if keptCount > 0 { averagedValidationRMSE = validationRMSE }
            }
            if sweep > burnIn { accumulator.add(noisePrecision: noisePrecision) }
            _ = monitor.record(epoch: sweep, validationRMSE: validationRMSE)
        }
        return accumulator.posterior(globalMean: mean, averagedValidationRMSE: averagedValidationRMSE)
    }

    /// The RMSE on `validation` of the current sample or, once `keptCount` samples are kept, of
    /// the average of the kept samples' predictions, whose running sums are in `sums`.
    private static func validationRMSE(
        on validation: IndexedRatings, users: BayesianChainSide, items: BayesianChainSide,
        globalMean: Float, keptCount: Int, sums: inout [Double]
    ) -> Double {
        var sum = 0.0
        for row in 0..<validation.count {
            let user = Int(validation.users[row]), item = Int(validation.items[row])
            let prediction = Double(
                globalMean + users.biases[user] + items.biases[item]
                    + VectorKernels.dot(users.factors + user * users.stride, items.factors + item * items.stride, length: users.stride))
            let estimate: Double
            if keptCount > 0 {
                sums[row] += prediction
                estimate = sums[row] / Double(keptCount)
            } else {
                estimate = prediction
            }
            let error = Double(RatingMetrics.clamp(Float(estimate))) - Double(validation.ratings[row])
            sum += error * error
        }
        return (sum / Double(max(validation.count, 1))).squareRoot()
    }

    /// One half-sweep: hyper-parameters, rows, implicit vectors, noise scales. Returns the
    /// rows' summed squared residuals after their draw, weighted by their noise scales.
    private static func sweepSide(
        _ side: BayesianChainSide, against other: BayesianChainSide, globalMean: Float,
        noisePrecision: Float, noiseDegreesOfFreedom: Double?,
        generator: inout SeededRandomNumberGenerator, threadCount: Int
    ) -> Double {
        if !side.groups.isEmpty { side.recomputeImplicitSums() }
        resampleHyperparameters(of: side, generator: &generator)
        let sampler = RowConditionalSampler(
            side: side, against: other, noisePrecision: noisePrecision, globalMean: globalMean,
            robustNoise: noiseDegreesOfFreedom != nil)
        sampleRows(of: side, with: sampler, seed: generator.next(), threadCount: threadCount)
        if !side.groups.isEmpty { sampleImplicitVectors(of: side, generator: &generator, threadCount: threadCount) }
        guard let degrees = noiseDegreesOfFreedom else {
            return (0..<side.rowCount).reduce(0.0) { $0 + side.squaredErrors[$1] }
        }
        return resampleNoiseScales(of: side, degreesOfFreedom: degrees, noisePrecision: noisePrecision, generator: &generator)
    }

    /// Draws the side's priors (factors, biases, each implicit family's) from the current values.
    private static func resampleHyperparameters(of side: BayesianChainSide, generator: inout SeededRandomNumberGenerator) {
        let stride = side.stride, factorCount = side.factorCount
        side.storeFactorsMinusImplicitSums()
        let residuals = side.residuals, biases = side.biases
        side.factorPrior.resample(
            activeLanes: factorCount, rows: side.activeRows, values: { UnsafePointer(residuals + $0 * stride) },
            generator: &generator)
        side.biasPrior.resample(activeLanes: 1, rows: side.activeRows, values: { UnsafePointer(biases + $0) }, generator: &generator)
        for group in side.groups {
            let vectors = group.vectors
            group.prior.resample(
                activeLanes: factorCount, rows: group.activeOwners, values: { UnsafePointer(vectors + $0 * stride) },
                generator: &generator)
        }
    }

    /// Draws every row from its conditional, in parallel: blocks of `rowBlock` rows go to
    /// whichever thread is free, and row `r` draws from stream `r` of `seed`, so the result does
    /// not depend on the thread count.
    private static func sampleRows(of side: BayesianChainSide, with sampler: RowConditionalSampler, seed: UInt64, threadCount: Int) {
        let next = Atomic<Int>(0)
        let rowCount = side.rowCount, stride = side.stride
        ParallelLoop.run(threadCount: threadCount) { _ in
            let workspace = RowConditionalSampler.Workspace(stride: stride, maximumRatings: side.maximumRowLength)
            while true {
                let first = next.wrappingAdd(rowBlock, ordering: .relaxed).oldValue
                guard first < rowCount else { return }
                for row in first..<min(first + rowBlock, rowCount) {
                    var rowGenerator = SeededRandomNumberGenerator.stream(UInt64(row), of: seed)
                    side.squaredErrors[row] = sampler.sample(
                        row: row, factors: side.factors + row * stride, bias: side.biases + row,
                        workspace: workspace, generator: &rowGenerator)
                }
            }
        }
    }

    /// Draws the implicit vectors given the new rows, one family after the other, and updates
    /// the rows' implicit sums to match.
    private static func sampleImplicitVectors(
        of side: BayesianChainSide, generator: inout SeededRandomNumberGenerator,
        threadCount: Int
    ) {
        let priorMeans = side.factorPrior.means.pointer
        side.storeRegressionResiduals(shift: priorMeans)
        for group in side.groups {
            let regression = ImplicitFeedbackRegression(side: side, group: group)
            regression.sample(
                owners: group.vectors, ownerCount: side.ownerCount, residuals: side.regressionResiduals,
                rowCount: side.rowCount, seed: generator.next(), threadCount: threadCount)
        }
        side.restoreImplicitSumsFromResiduals(shift: priorMeans)
    }

    /// Robust noise: draws each row's precision scale from its conditional,
    /// `c_r ~ Gamma((ν + n_r) / 2, (ν + α Σ d_j e²) / 2)`, and returns the residuals it weights.
    private static func resampleNoiseScales(
        of side: BayesianChainSide, degreesOfFreedom degrees: Double, noisePrecision: Float,
        generator: inout SeededRandomNumberGenerator
    ) -> Double {
        for row in side.activeRows {
            let count = Double(side.offsets[row + 1] - side.offsets[row])
            side.noiseScales[row] = Float(
                generator.nextGamma(
                    shape: (degrees + count) / 2,
                    rate: (degrees + Double(noisePrecision) * side.squaredErrors[row]) / 2))
        }
        var total = 0.0
        for row in 0..<side.rowCount { total += Double(side.noiseScales[row]) * side.squaredErrors[row] }
        return total
    }
}
