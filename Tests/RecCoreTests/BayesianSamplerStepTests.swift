import Testing
@testable import RecCore
@testable import RecModels
@testable import RecSupport

/// Each Gibbs step draws from the exact Gaussian conditional its documentation states: many
/// draws from one fixed state must have the closed-form mean and variance.
struct BayesianSamplerStepTests {
    @Test(arguments: [false, true])
    func rowDrawsFollowTheJointConditionalOfBiasAndFactors(robustNoise: Bool) {
        var generator = SeededRandomNumberGenerator(seed: 31)
        let factorCount = 5, stride = 16, count = 30
        let others = FactorMatrix(rowCount: count, factorCount: factorCount, standardDeviation: 0.8, generator: &generator)
        let otherBiases = (0..<count).map { _ in Float(generator.nextGaussian()) * 0.3 }
        let ratings = (0..<count).map { _ in Float(1 + generator.nextIndex(below: 5)) }
        let otherScales = (0..<count).map { _ in robustNoise ? Float(0.5 + 1.5 * Double(generator.nextUnitFloat())) : 1 }
        let rowScale: Float = robustNoise ? 1.3 : 1
        var priorMeans = [Float](repeating: 0, count: stride), priorPrecisions = [Float](repeating: 1, count: stride)
        var implicitSum = [Float](repeating: 0, count: stride)
        for factor in 0..<factorCount {
            priorMeans[factor] = Float(generator.nextGaussian()) * 0.2
            priorPrecisions[factor] = 2 + Float(factor)
            implicitSum[factor] = Float(generator.nextGaussian()) * 0.1
        }
        let alpha: Float = 1.4, globalMean: Float = 3.5, biasMean: Float = 0.1, biasPrecision: Float = 4

        // The closed form over z = (x, b), in double precision.
        let dimension = factorCount + 1
        var precision = [Double](repeating: 0, count: dimension * dimension), information = [Double](repeating: 0, count: dimension)
        for index in 0..<count {
            var feature = (0..<factorCount).map { Double(others.values[index * stride + $0]) }
            feature.append(1)
            let weight = Double(alpha * rowScale * otherScales[index])
            let target = Double(ratings[index] - globalMean - otherBiases[index])
            for first in 0..<dimension {
                information[first] += weight * feature[first] * target
                for second in 0..<dimension { precision[first * dimension + second] += weight * feature[first] * feature[second] }
            }
        }
        for factor in 0..<factorCount {
            precision[factor * dimension + factor] += Double(priorPrecisions[factor])
            information[factor] += Double(priorPrecisions[factor]) * Double(priorMeans[factor] + implicitSum[factor])
        }
        precision[factorCount * dimension + factorCount] += Double(biasPrecision)
        information[factorCount] += Double(biasPrecision * biasMean)
        var mean = information, factorMatrix = precision
        #expect(CholeskySolver.solve(&factorMatrix, &mean, size: dimension))
        let variances = (0..<dimension).map { index -> Double in
            var unit = [Double](repeating: 0, count: dimension), matrix = precision
            unit[index] = 1
            _ = CholeskySolver.solve(&matrix, &unit, size: dimension)
            return unit[index]
        }

        // Many draws from the sampler.
        let drawCount = 20_000
        var sums = [Double](repeating: 0, count: dimension), squares = [Double](repeating: 0, count: dimension)
        let offsets = [0, count], otherIndices = (0..<count).map(Int32.init)
        offsets.withUnsafeBufferPointer { offsets in
            otherIndices.withUnsafeBufferPointer { otherIndices in
                ratings.withUnsafeBufferPointer { ratings in
                    others.values.withUnsafeBufferPointer { otherFactors in
                        otherBiases.withUnsafeBufferPointer { otherBiases in
                            priorMeans.withUnsafeBufferPointer { priorMeans in
                                priorPrecisions.withUnsafeBufferPointer { priorPrecisions in
                                    implicitSum.withUnsafeBufferPointer { implicitSum in
                                        [rowScale].withUnsafeBufferPointer { rowScales in
                                            otherScales.withUnsafeBufferPointer { otherScales in
                                                let sampler = RowConditionalSampler(
                                                    factorCount: factorCount, stride: stride, noisePrecision: alpha, globalMean: globalMean,
                                                    biasMean: biasMean, biasPrecision: biasPrecision, factorMeans: priorMeans.baseAddress!,
                                                    factorPrecisions: priorPrecisions.baseAddress!, offsets: offsets.baseAddress!,
                                                    others: otherIndices.baseAddress!, ratings: ratings.baseAddress!,
                                                    otherFactors: otherFactors.baseAddress!, otherBiases: otherBiases.baseAddress!,
                                                    implicitSums: implicitSum.baseAddress!,
                                                    rowNoiseScales: robustNoise ? rowScales.baseAddress! : nil,
                                                    otherNoiseScales: robustNoise ? otherScales.baseAddress! : nil)
                                                let workspace = RowConditionalSampler.Workspace(stride: stride, maximumRatings: count)
                                                var factors = [Float](repeating: 0, count: stride), bias: Float = 0
                                                for draw in 0..<drawCount {
                                                    var drawGenerator = SeededRandomNumberGenerator.stream(UInt64(draw), of: 77)
                                                    factors.withUnsafeMutableBufferPointer { factors in
                                                        _ = sampler.sample(
                                                            row: 0, factors: factors.baseAddress!, bias: &bias,
                                                            workspace: workspace, generator: &drawGenerator)
                                                    }
                                                    for index in 0..<dimension {
                                                        let value = Double(index < factorCount ? factors[index] : bias)
                                                        sums[index] += value
                                                        squares[index] += value * value
                                                    }
                                                    #expect(factors[factorCount..<stride].allSatisfy { $0 == 0 })
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for index in 0..<dimension {
            let empiricalMean = sums[index] / Double(drawCount)
            let empiricalVariance = squares[index] / Double(drawCount) - empiricalMean * empiricalMean
            #expect(
                abs(empiricalMean - mean[index]) < 5 * (variances[index] / Double(drawCount)).squareRoot(),
                "coordinate \(index): mean \(empiricalMean) vs \(mean[index])")
            #expect(
                abs(empiricalVariance / variances[index] - 1) < 0.06,
                "coordinate \(index): variance \(empiricalVariance) vs \(variances[index])")
        }
    }

    @Test func implicitVectorDrawsFollowTheirRegressionConditional() {
        // One owner linked to four rows; one group of sixteen lanes, three of them real factors.
        let factorCount = 3, stride = 16, rowCount = 4
        let linkWeights: [Float] = [0.5, 0.25, 1, 0.4]
        let residuals: [Float] = (0..<(rowCount * 16)).map { Float(($0 * 7) % 11) / 10 - 0.5 }
        let rowPrecisions: [Float] = [3, 5, 8] + [Float](repeating: 1, count: 13)
        let ownerPrecisions: [Float] = [2, 1, 4] + [Float](repeating: 1, count: 13)
        let ownerMeans: [Float] = [0.2, -0.1, 0] + [Float](repeating: 0, count: 13)
        let old: [Float] = [0.3, 0.1, -0.2] + [Float](repeating: 0, count: 13)
        let weightSquares = linkWeights.reduce(Float(0)) { $0 + $1 * $1 }
        var expectedMeans: [Double] = [], expectedVariances: [Double] = []
        for factor in 0..<factorCount {
            let precision = Double(rowPrecisions[factor] * weightSquares + ownerPrecisions[factor])
            var weighted = 0.0
            for row in 0..<rowCount { weighted += Double(linkWeights[row]) * Double(residuals[row * 16 + factor]) }
            expectedMeans.append(
                (Double(rowPrecisions[factor]) * (weighted + Double(weightSquares * old[factor]))
                    + Double(ownerPrecisions[factor] * ownerMeans[factor])) / precision)
            expectedVariances.append(1 / precision)
        }
        let drawCount = 20_000
        var sums = [Double](repeating: 0, count: factorCount), squares = [Double](repeating: 0, count: factorCount)
        let offsets = [0, rowCount], linked = (0..<rowCount).map(Int32.init)
        for draw in 0..<drawCount {
            var owner = old, rowResiduals = residuals
            offsets.withUnsafeBufferPointer { offsets in
                linked.withUnsafeBufferPointer { linked in
                    linkWeights.withUnsafeBufferPointer { linkWeights in
                        [weightSquares].withUnsafeBufferPointer { weightSquares in
                            rowPrecisions.withUnsafeBufferPointer { rowPrecisions in
                                ownerMeans.withUnsafeBufferPointer { ownerMeans in
                                    ownerPrecisions.withUnsafeBufferPointer { ownerPrecisions in
                                        let regression = ImplicitFeedbackRegression(
                                            factorCount: factorCount, stride: stride, ownerOffsets: offsets.baseAddress!,
                                            linkedRows: linked.baseAddress!, linkWeights: linkWeights.baseAddress!,
                                            ownerWeightSquares: weightSquares.baseAddress!,
                                            rowPriorPrecisions: rowPrecisions.baseAddress!, ownerPriorMeans: ownerMeans.baseAddress!,
                                            ownerPriorPrecisions: ownerPrecisions.baseAddress!)
                                        owner.withUnsafeMutableBufferPointer { owner in
                                            rowResiduals.withUnsafeMutableBufferPointer { rowResiduals in
                                                regression.sample(
                                                    owners: owner.baseAddress!, ownerCount: 1, residuals: rowResiduals.baseAddress!,
                                                    rowCount: rowCount, seed: UInt64(draw), threadCount: 1)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for factor in 0..<factorCount {
                sums[factor] += Double(owner[factor])
                squares[factor] += Double(owner[factor] * owner[factor])
                // The residuals move by the weighted change of the owner.
                for row in 0..<rowCount {
                    let expected = residuals[row * 16 + factor] - linkWeights[row] * (owner[factor] - old[factor])
                    #expect(abs(rowResiduals[row * 16 + factor] - expected) < 1e-5)
                }
            }
            #expect(owner[factorCount..<stride].allSatisfy { $0 == 0 })
        }
        for factor in 0..<factorCount {
            let mean = sums[factor] / Double(drawCount)
            let variance = squares[factor] / Double(drawCount) - mean * mean
            #expect(abs(mean - expectedMeans[factor]) < 5 * (expectedVariances[factor] / Double(drawCount)).squareRoot())
            #expect(abs(variance / expectedVariances[factor] - 1) < 0.06)
        }
    }

    @Test func normalGammaPriorConcentratesOnTheValuesMeanAndPrecision() {
        var generator = SeededRandomNumberGenerator(seed: 8)
        let values = (0..<20_000).map { _ in Float(1.5 + 0.5 * generator.nextGaussian()) }
        let prior = NormalGammaPrior(laneCount: 1)
        values.withUnsafeBufferPointer { values in
            for _ in 0..<5 {
                prior.resample(activeLanes: 1, rows: Array(0..<values.count), values: { values.baseAddress! + $0 }, generator: &generator)
            }
        }
        #expect(abs(prior.means[0] - 1.5) < 0.02)
        #expect(abs(prior.precisions[0] - 4) < 0.2)
    }
}
