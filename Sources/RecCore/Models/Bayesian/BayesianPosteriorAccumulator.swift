/// Running sums of the kept samples of a Bayesian factorisation chain, from which the
/// posterior means are taken at the end.
///
/// Factor sums are kept per group of consecutive samples (`sampleGroups`), so the servable
/// model can average `x̄_g · w̄_g` over groups instead of using one product of means. Sums are
/// kept in `Double` so that hundreds of samples add up without drift.
final class BayesianPosteriorAccumulator {
    private let users: BayesianChainSide
    private let items: BayesianChainSide
    private let usesImplicitFeedback: Bool
    private let keptSamples: Int
    private let sampleGroups: Int
    private let alignsSamples: Bool
    /// Scratch copies of the current sample, rotated before they are added.
    private let alignedUsers: UnsafeMutablePointer<Float>
    private let alignedItems: UnsafeMutablePointer<Float>
    private let alignedImplicit: UnsafeMutablePointer<Float>
    private var userFactors: [[Double]]
    private var itemFactors: [[Double]]
    private var groupCounts: [Int]
    private var userBiases: [Double]
    private var itemBiases: [Double]
    private var itemImplicitVectors: [Double]
    private var userFactorPriorMeans: [Double]
    private var userBiasPriorMean = 0.0
    private var factorPenalties: [Double]
    private var biasPenalty = 0.0
    private var noiseVariance = 0.0
    private var count = 0

    init(
        users: BayesianChainSide, items: BayesianChainSide, usesImplicitFeedback: Bool, keptSamples: Int, sampleGroups: Int,
        alignsSamples: Bool
    ) {
        self.alignsSamples = alignsSamples
        alignedUsers = .allocate(capacity: max(users.rowCount * users.stride, 1))
        alignedItems = .allocate(capacity: max(items.rowCount * items.stride, 1))
        alignedImplicit = .allocate(capacity: max(users.ownerCount * users.stride, 1))
        self.users = users
        self.items = items
        self.usesImplicitFeedback = usesImplicitFeedback
        self.keptSamples = max(1, keptSamples)
        self.sampleGroups = max(1, min(sampleGroups, keptSamples))
        userFactors = Array(repeating: [Double](repeating: 0, count: users.rowCount * users.stride), count: self.sampleGroups)
        itemFactors = Array(repeating: [Double](repeating: 0, count: items.rowCount * items.stride), count: self.sampleGroups)
        groupCounts = [Int](repeating: 0, count: self.sampleGroups)
        userBiases = [Double](repeating: 0, count: users.rowCount)
        itemBiases = [Double](repeating: 0, count: items.rowCount)
        itemImplicitVectors = [Double](repeating: 0, count: usesImplicitFeedback ? users.ownerCount * users.stride : 0)
        userFactorPriorMeans = [Double](repeating: 0, count: users.stride)
        factorPenalties = [Double](repeating: 0, count: users.stride)
    }

    deinit {
        alignedUsers.deallocate()
        alignedItems.deallocate()
        alignedImplicit.deallocate()
    }

    /// Adds the chain's current state, drawn with noise precision `noisePrecision`. With
    /// alignment, the sample is first turned by the rotation that best aligns its item vectors
    /// with the mean of the item vectors added so far (`OrthogonalProcrustes`); predictions are
    /// unchanged by the rotation, but the means no longer blur along the chain's drift.
    func add(noisePrecision: Float) {
        let group = min(count * sampleGroups / keptSamples, sampleGroups - 1)
        let factorCount = users.factorCount, stride = users.stride
        var rotation: [Double]?
        var userFactorPointer = UnsafePointer(users.factors), itemFactorPointer = UnsafePointer(items.factors)
        var implicitPointer = usesImplicitFeedback ? UnsafePointer(users.groups[0].vectors) : nil
        if alignsSamples && count > 0 && factorCount > 0 {
            let reference = itemFactors.reduce(into: [Float](repeating: 0, count: items.rowCount * stride)) { mean, sums in
                for index in mean.indices { mean[index] += Float(sums[index] / Double(count)) }
            }
            let active = Set(items.activeRows)
            let cross = reference.withUnsafeBufferPointer { reference in
                OrthogonalProcrustes.crossProduct(
                    items.factors, reference.baseAddress!, rowCount: items.rowCount,
                    factorCount: factorCount, stride: stride, include: { active.contains($0) })
            }
            let turn = OrthogonalProcrustes.rotation(polarFactorOf: cross, size: factorCount)
            rotation = turn
            alignedUsers.update(from: users.factors, count: users.rowCount * stride)
            alignedItems.update(from: items.factors, count: items.rowCount * stride)
            OrthogonalProcrustes.rotate(alignedUsers, rowCount: users.rowCount, factorCount: factorCount, stride: stride, by: turn)
            OrthogonalProcrustes.rotate(alignedItems, rowCount: items.rowCount, factorCount: factorCount, stride: stride, by: turn)
            userFactorPointer = UnsafePointer(alignedUsers)
            itemFactorPointer = UnsafePointer(alignedItems)
            if usesImplicitFeedback {
                alignedImplicit.update(from: users.groups[0].vectors, count: users.ownerCount * stride)
                OrthogonalProcrustes.rotate(alignedImplicit, rowCount: users.ownerCount, factorCount: factorCount, stride: stride, by: turn)
                implicitPointer = UnsafePointer(alignedImplicit)
            }
        }
        Self.add(userFactorPointer, count: users.rowCount * stride, to: &userFactors[group])
        Self.add(itemFactorPointer, count: items.rowCount * stride, to: &itemFactors[group])
        groupCounts[group] += 1
        Self.add(users.biases, count: userBiases.count, to: &userBiases)
        Self.add(items.biases, count: itemBiases.count, to: &itemBiases)
        if let implicitPointer { Self.add(implicitPointer, count: itemImplicitVectors.count, to: &itemImplicitVectors) }
        let alpha = Double(noisePrecision)
        // The prior turns with the sample: mean m R, precision Rᵀ diag(λ) R (its diagonal is kept).
        for lane in 0..<factorCount {
            var mean = 0.0, precision = 0.0
            for other in 0..<factorCount {
                let weight = rotation.map { $0[other * factorCount + lane] } ?? (other == lane ? 1 : 0)
                mean += Double(users.factorPrior.means[other]) * weight
                precision += Double(users.factorPrior.precisions[other]) * weight * weight
            }
            userFactorPriorMeans[lane] += mean
            factorPenalties[lane] += precision / alpha
        }
        userBiasPriorMean += Double(users.biasPrior.means[0])
        biasPenalty += Double(users.biasPrior.precisions[0]) / alpha
        noiseVariance += 1 / alpha
        count += 1
    }

    /// The posterior means of everything added.
    func posterior(globalMean: Float, averagedValidationRMSE: Double?) -> BayesianPosterior {
        let scale = 1 / Double(max(count, 1))
        func mean(_ sums: [Double]) -> [Float] { sums.map { Float($0 * scale) } }
        let factorCount = users.factorCount
        let groups = groupCounts.filter { $0 > 0 }.count
        /// Group means side by side, each scaled by `1/√groups`, so a dot product of a user row
        /// and an item row is the average over groups of the groups' products.
        func concatenated(_ sums: [[Double]], rows: Int, stride: Int) -> FactorMatrix {
            var result = FactorMatrix(rowCount: rows, factorCount: factorCount * groups)
            let groupScale = 1 / Double(groups).squareRoot()
            for (group, groupSums) in sums.enumerated() where groupCounts[group] > 0 {
                let weight = groupScale / Double(groupCounts[group])
                for row in 0..<rows {
                    for factor in 0..<factorCount {
                        result.values[row * result.stride + group * factorCount + factor] = Float(groupSums[row * stride + factor] * weight)
                    }
                }
            }
            return result
        }
        func matrix(_ sums: [Double], rows: Int, stride: Int) -> FactorMatrix {
            concatenated([sums], rows: rows, stride: stride)
        }
        let groupScale = 1 / Float(groups).squareRoot()
        let priorMeans = Array(mean(userFactorPriorMeans).prefix(factorCount))
        let penalties = Array(mean(factorPenalties).prefix(factorCount))
        var implicit: FactorMatrix?
        if usesImplicitFeedback {
            // Each group's copy of the implicit vectors is the overall mean, scaled like its factors.
            let base = matrix(itemImplicitVectors, rows: users.ownerCount, stride: users.stride)
            var replicated = FactorMatrix(rowCount: users.ownerCount, factorCount: factorCount * groups)
            for row in 0..<users.ownerCount {
                for group in 0..<groups {
                    for factor in 0..<factorCount {
                        replicated.values[row * replicated.stride + group * factorCount + factor] =
                            base.values[row * base.stride + factor] * groupScale
                    }
                }
            }
            implicit = replicated
        }
        return BayesianPosterior(
            globalMean: globalMean, userBiases: mean(userBiases), itemBiases: mean(itemBiases),
            userFactors: concatenated(userFactors, rows: users.rowCount, stride: users.stride),
            itemFactors: concatenated(itemFactors, rows: items.rowCount, stride: items.stride),
            itemImplicitFactors: implicit,
            userFactorPriorMeans: (0..<groups).flatMap { _ in priorMeans.map { $0 * groupScale } },
            userBiasPriorMean: Float(userBiasPriorMean * scale),
            foldInPrior: FoldInPrior(
                biasPenalty: Float(biasPenalty * scale),
                factorPenalties: (0..<groups).flatMap { _ in penalties.map { $0 * Float(groups) } }),
            noiseStandardDeviation: (noiseVariance * scale).squareRoot(),
            sampleCount: count, averagedValidationRMSE: averagedValidationRMSE)
    }

    private static func add(_ values: UnsafePointer<Float>, count: Int, to sums: inout [Double]) {
        sums.withUnsafeMutableBufferPointer { sums in
            for index in 0..<count { sums[index] += Double(values[index]) }
        }
    }
}
