import Testing
@testable import RecCore
@testable import RecModels
@testable import RecSupport

/// The two-pass recommender (`QuantizedItemFactors` prefilter, exact rescoring) against the
/// reference that scores every item exactly: same items, same order, same scores, bit for bit.
struct QuantizedRecommenderTests {
    /// Random item parameters with `factorCount` factors; some items have no ratings.
    static func parameters(itemCount: Int, factorCount: Int, seed: UInt64, spread: Float = 0.3) -> (FactorParameters, [Int32]) {
        var generator = SeededRandomNumberGenerator(seed: seed)
        let parameters = FactorParameters(
            globalMean: 3.58, userBiases: [], itemBiases: (0..<itemCount).map { _ in Float(generator.nextGaussian()) * 0.4 },
            userFactors: FactorMatrix(rowCount: 0, factorCount: factorCount),
            itemFactors: FactorMatrix(rowCount: itemCount, factorCount: factorCount, standardDeviation: spread, generator: &generator),
            itemImplicitFactors: FactorMatrix(
                rowCount: itemCount, factorCount: factorCount, standardDeviation: spread / 4, generator: &generator))
        let counts = (0..<itemCount).map { _ in generator.nextIndex(below: 10) == 0 ? Int32(0) : Int32(generator.nextIndex(below: 500) + 1)
        }
        return (parameters, counts)
    }

    static let foldIn = FoldInParameters(biasRegularization: 10, factorRegularization: 0.05, priorRatingCount: 5)

    @Test(arguments: [(16, 1), (64, 2), (128, 3), (128, 4)])
    func theTwoPassRankingEqualsScoringEveryItem(factorCount: Int, seed: UInt64) {
        let itemCount = 1_003
        let (parameters, counts) = Self.parameters(itemCount: itemCount, factorCount: factorCount, seed: seed)
        FoldInTests.withView(parameters, ratingCounts: counts, foldIn: Self.foldIn) { view in
            let quantized = QuantizedItemFactors(items: view)
            #expect(quantized != nil)
            var generator = SeededRandomNumberGenerator(seed: seed * 31)
            for round in 0..<12 {
                let ratedCount = 1 + generator.nextIndex(below: 8)
                let items = (0..<ratedCount).map { _ in generator.nextIndex(below: itemCount) }
                let ratings = items.map { _ in Float(1 + generator.nextIndex(below: 5)) }
                let person = FoldIn.solve(items: items, ratings: ratings, model: view)
                for count in [1, 5, 20, 1000, itemCount + 5] {
                    let reference = Recommender.referenceRecommendation(for: person, model: view, excluding: Set(items), count: count)
                    let fast = Recommender.recommend(for: person, model: view, quantized: quantized, excluding: items, count: count)
                    #expect(fast == reference, "round \(round), count \(count)")
                }
            }
        }
    }

    @Test func everyApproximateScoreIsWithinTheBoundOfTheExactOne() {
        let (parameters, counts) = Self.parameters(itemCount: 257, factorCount: 128, seed: 9, spread: 0.8)
        FoldInTests.withView(parameters, ratingCounts: counts, foldIn: Self.foldIn) { view in
            guard let quantized = QuantizedItemFactors(items: view) else {
                Issue.record("the factors are finite")
                return
            }
            let person = FoldIn.solve(items: [3, 50, 200], ratings: [5, 1, 4], model: view)
            let exact = Recommender.scores(for: person, model: view)
            var approximate = [Float](repeating: 0, count: view.itemCount)
            let bound = person.factors.withUnsafeBufferPointer { factors in
                approximate.withUnsafeMutableBufferPointer { output in
                    quantized.approximateScores(
                        base: view.globalMean + person.bias, vector: factors.baseAddress!, into: output.baseAddress!)
                }
            }
            guard let bound else {
                Issue.record("the person is finite")
                return
            }
            #expect(bound > 0 && bound < 0.05, "the bound must be tight enough to prune: \(bound)")
            for item in 0..<view.itemCount {
                if counts[item] == 0 {
                    #expect(approximate[item] == -.infinity, "items without ratings are never ranked")
                } else {
                    #expect(abs(approximate[item] - exact[item]) <= bound, "item \(item)")
                }
            }
        }
    }

    @Test func theLargestMagnitudesDoNotOverflowTheIntegerSums() {
        // Every element at ±(row maximum) makes every product ±quantizationLevel², the worst case.
        let itemCount = 9, stride = QuantizedItemFactors.maximumStride
        var parameters = FactorParameters(
            globalMean: 3, userBiases: [], itemBiases: [Float](repeating: 0, count: itemCount),
            userFactors: FactorMatrix(rowCount: 0, factorCount: stride),
            itemFactors: FactorMatrix(rowCount: itemCount, factorCount: stride), itemImplicitFactors: nil)
        for index in parameters.itemFactors.values.indices { parameters.itemFactors.values[index] = index % 3 == 0 ? -2 : 2 }
        let counts = [Int32](repeating: 1, count: itemCount)
        FoldInTests.withView(parameters, ratingCounts: counts, foldIn: Self.foldIn) { view in
            guard let quantized = QuantizedItemFactors(items: view) else {
                Issue.record("the factors are finite")
                return
            }
            let person = FoldedInPerson(bias: 0, factors: (0..<stride).map { $0 % 3 == 0 ? -1 : 1 })
            let exact = Recommender.scores(for: person, model: view)
            #expect(exact[0] == 3 + 2 * Float(stride))
            var approximate = [Float](repeating: 0, count: itemCount)
            let bound = person.factors.withUnsafeBufferPointer { factors in
                approximate.withUnsafeMutableBufferPointer { output in
                    quantized.approximateScores(base: 3, vector: factors.baseAddress!, into: output.baseAddress!)
                }
            }
            guard let bound else {
                Issue.record("the person is finite")
                return
            }
            for item in 0..<itemCount { #expect(abs(approximate[item] - exact[item]) <= bound) }
        }
    }

    @Test func modelsWithoutFactorsOrWithNonFiniteOnesAreNotQuantized() {
        let biasOnly = FactorParameters(globalMean: 3, userBiases: [], itemBiases: [0.5, -0.5, 0.1])
        FoldInTests.withView(biasOnly, ratingCounts: [1, 1, 0], foldIn: Self.foldIn) { view in
            #expect(QuantizedItemFactors(items: view) == nil)
            let person = FoldIn.solve(items: [1], ratings: [4], model: view)
            let reference = Recommender.referenceRecommendation(for: person, model: view, excluding: [1], count: 5)
            #expect(Recommender.recommend(for: person, model: view, quantized: nil, excluding: [1], count: 5) == reference)
            #expect(reference.map(\.item) == [0], "item 1 is rated and item 2 has no ratings")
        }
        var nonFinite = Self.parameters(itemCount: 20, factorCount: 16, seed: 2)
        nonFinite.0.itemFactors.values[5] = .nan
        FoldInTests.withView(nonFinite.0, ratingCounts: nonFinite.1, foldIn: Self.foldIn) { view in
            #expect(QuantizedItemFactors(items: view) == nil)
        }
    }

    /// A row whose largest factor is tiny but not zero (found by fuzzing the model-file reader:
    /// `1e-36`, or a subnormal) would have an infinite inverse scale and quantize its zeros to
    /// NaN, trapping the conversion to Int16. It quantizes to zeros instead, and the ranking
    /// still matches the exact reference.
    @Test(arguments: [Float(1e-36), Float(1.4e-45), Float(4e-35)])
    func aRowOfTinyFactorsQuantizesToZeros(_ tiny: Float) {
        var (parameters, counts) = Self.parameters(itemCount: 40, factorCount: 16, seed: 4)
        let stride = parameters.itemFactors.stride
        for index in 0..<stride { parameters.itemFactors.values[7 * stride + index] = 0 }
        parameters.itemFactors.values[7 * stride] = tiny
        FoldInTests.withView(parameters, ratingCounts: counts, foldIn: Self.foldIn) { view in
            let quantized = QuantizedItemFactors(items: view)
            #expect(quantized != nil)
            #expect(QuantizedItemFactors.scale(largestMagnitude: tiny).isNormal)
            let person = FoldIn.solve(items: [3, 9], ratings: [5, 2], model: view)
            let reference = Recommender.referenceRecommendation(for: person, model: view, excluding: [3, 9], count: 10)
            #expect(Recommender.recommend(for: person, model: view, quantized: quantized, excluding: [3, 9], count: 10) == reference)
        }
    }

    @Test func theEngineOnATrainedModelMatchesTheReference() throws {
        let engine = try TrainedModelFixture.load().engine()
        let quantized = try #require(engine.quantizedItems)
        #expect(quantized.itemCount == engine.model.itemCount)
        let resolvedItems = try [1, 50, 181, 100].map { try #require(engine.model.itemIndex(movieID: $0)) }
        let person = FoldIn.solve(items: resolvedItems, ratings: [5, 4, 2, 5], model: engine.items)
        let reference = Recommender.referenceRecommendation(for: person, model: engine.items, excluding: Set(resolvedItems), count: 50)
        let recommended = try engine.recommendedItems(
            ratings: [(.id(1), 5), (.id(50), 4), (.id(181), 2), (.id(100), 5)], count: 50,
            ranking: .rating)
        #expect(recommended.map(\.item) == reference.map(\.item))
        #expect(recommended.map(\.score) == reference.map { RatingMetrics.clamp($0.score) })
    }
}
