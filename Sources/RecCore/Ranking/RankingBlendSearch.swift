import RecSupport

/// Chooses the ranking model's hyper-parameters and blends on the validation split carved
/// from the training file, by the protocols `rec-cli evaluate` reports (`TopNProtocol`).
///
/// The who-rated-what models are fitted on the training part, the rating model is the
/// validation fit the pipeline already made, and the validation rows play the evaluated file:
///
/// - For known users, each candidate EASE model (user weighting and penalty) is fitted, every
///   blend of the grid in `RankingSettings` is scored with it, and the model and blend with the
///   best mean recall@20 win. The liked-movies EASE is then added to the winner at each of
///   `knownUserLikedWeights`, and kept at the weight whose best blend beats that recall.
/// - For new people, each candidate dropout is fitted once, on co-occurrences weighted by
///   `RankingSettings.denoisingUserWeightExponent`, and each group of
///   `RankingBlends.givenGroupLimits` finds its best blend of the grid with it at its given
///   count of `newPersonGivenCounts`; every group keeps the dropout and blend with its best
///   recall, so the model stores one table of watch weights per distinct chosen dropout.
///
/// To make a grid of a hundred blends cheap, each person is first reduced to a pool of the
/// movies that can plausibly reach their top 20 under any blend: the 150 with the highest
/// watch scores and the 50 most popular. The search only ranks within pools; serving ranks the
/// whole catalogue exactly.
enum RankingBlendSearch {
    /// Movies taken into a pool by watch score.
    static let poolByWatch = 150
    /// Movies taken into a pool by popularity.
    static let poolByPopularity = 50

    /// What the search chose.
    struct Choice: Sendable, Equatable {
        /// The EASE model for known users.
        var knownUserModel: KnownUserModel
        /// The denoising dropout of each new-person group.
        var newPersonDropouts: [Float]
        /// The fitted blends.
        var blends: RankingBlends
        /// The chosen known-user blend's recall@20 on the validation split, within pools.
        var knownUserRecall: Double
        /// The chosen new-person blend's recall@20 at each given count, within pools.
        var newPersonRecall: [Int: Double]
    }

    /// Runs the search. `ratingModel` was fitted on `fitPart` and folds people in with `foldIn`.
    static func choose(
        fitPart: IndexedRatings, validation: IndexedRatings, ratingModel: FactorParameters, foldIn: FoldInParameters,
        settings: RankingSettings, seed: UInt64, threadCount: Int
    ) -> Choice {
        let sets = RatedItemSets(fitPart)
        var cooccurrences = WeightedCooccurrences(sets: sets, threadCount: threadCount)
        let counts = fitPart.itemRatingCounts
        let popularity = RankingPopularity.shares(of: counts)
        let popularOrder = RankingPopularity.order(of: counts)
        return ratingModel.withItemParameterView(itemRatingCounts: counts, foldIn: foldIn) { items in
            let context = PoolContext(items: items, popularity: popularity, popularOrder: popularOrder, threadCount: threadCount)

            var choice = Choice(
                knownUserModel: settings.knownUserModels[0],
                newPersonDropouts: Array(repeating: settings.newPersonDropouts[0], count: RankingBlends.newPersonGroupCount),
                blends: settings.defaultBlends, knownUserRecall: 0, newPersonRecall: [:])

            let knownCases = TopNCaseSet(.knownUser, training: fitPart, evaluation: validation, seed: seed).cases
            let chosenWeights = chooseKnownUserModel(
                into: &choice, cases: knownCases, cooccurrences: &cooccurrences, ratingModel: ratingModel,
                context: context, settings: settings)
            if let chosenWeights {
                chooseLikedWeight(
                    into: &choice, cases: knownCases, chosenWeights: chosenWeights,
                    likedSets: RatedItemSets(fitPart, minimumRating: settings.likedRating), ratingModel: ratingModel,
                    context: context, settings: settings)
            }
            let newCaseSets = settings.newPersonGivenCounts.map {
                TopNCaseSet(.newPerson(given: $0), training: fitPart, evaluation: validation, seed: seed).cases
            }
            chooseNewPersonDropouts(
                into: &choice, caseSets: newCaseSets,
                cooccurrence: cooccurrences.matrix(userWeightExponent: settings.denoisingUserWeightExponent), context: context,
                settings: settings)
            return choice
        }
    }

    /// Tries each known-user EASE model of the settings on `cases` and keeps, in `choice`, the
    /// one whose best blend has the highest recall, with that blend; returns its weights, or nil
    /// when no model could be tried.
    private static func chooseKnownUserModel(
        into choice: inout Choice, cases: [TopNCase], cooccurrences: inout WeightedCooccurrences,
        ratingModel: FactorParameters, context: PoolContext, settings: RankingSettings
    ) -> SquareMatrix? {
        let threadCount = context.threadCount
        var bestRecall = -1.0
        var chosenWeights: SquareMatrix?
        for candidate in settings.knownUserModels where !cases.isEmpty {
            guard
                let weights = ItemAutoencoder.ease(
                    cooccurrence: cooccurrences.matrix(userWeightExponent: candidate.userWeightExponent),
                    regularization: candidate.regularization, threadCount: threadCount)
            else { continue }
            let watch = KnownUserWatch(rated: weights, liked: nil, likedWeight: 0)
            let pools = context.knownUserPools(cases, watch: watch, likedRating: settings.likedRating, ratingModel: ratingModel)
            let (blend, recall) = bestBlend(over: pools, settings: settings, threadCount: threadCount)
            if recall > bestRecall {
                bestRecall = recall
                chosenWeights = weights
                (choice.knownUserModel, choice.blends.knownUser, choice.knownUserRecall) = (candidate, blend, recall)
            }
        }
        return chosenWeights
    }

    /// Adds the liked-movies EASE over `likedSets` to the chosen known-user model at each of
    /// the settings' liked weights and keeps, in `choice`, the weight whose best blend beats
    /// the chosen recall, with that blend; the model stays without it otherwise.
    private static func chooseLikedWeight(
        into choice: inout Choice, cases: [TopNCase], chosenWeights: SquareMatrix, likedSets: RatedItemSets,
        ratingModel: FactorParameters, context: PoolContext, settings: RankingSettings
    ) {
        let likedWeights = settings.knownUserLikedWeights.filter { $0 != 0 }
        guard !cases.isEmpty, !likedWeights.isEmpty,
            let liked = RankingModelTrainer.likedMoviesWeights(likedSets, settings: settings, threadCount: context.threadCount)
        else { return }
        for likedWeight in likedWeights {
            let watch = KnownUserWatch(rated: chosenWeights, liked: liked, likedWeight: likedWeight)
            let pools = context.knownUserPools(cases, watch: watch, likedRating: settings.likedRating, ratingModel: ratingModel)
            let (blend, recall) = bestBlend(over: pools, settings: settings, threadCount: context.threadCount)
            if recall > choice.knownUserRecall {
                choice.knownUserModel.likedWeight = likedWeight
                (choice.blends.knownUser, choice.knownUserRecall) = (blend, recall)
            }
        }
    }

    /// Tries each denoising dropout of the settings on the new-person `caseSets` (one per given
    /// count, so one per group) and keeps, in `choice`, each group's best dropout, with its
    /// blend. A group without cases keeps its defaults; the first of equals wins. Each case's
    /// rating estimates are computed once and shared by every dropout.
    private static func chooseNewPersonDropouts(
        into choice: inout Choice, caseSets: [[TopNCase]], cooccurrence: SquareMatrix, context: PoolContext,
        settings: RankingSettings
    ) {
        let threadCount = context.threadCount
        let withCases = caseSets.indices.filter { !caseSets[$0].isEmpty }
        guard !withCases.isEmpty else { return }
        let tables = settings.newPersonDropouts.compactMap { dropout in
            RankingModelTrainer.newPersonTable(cooccurrence: cooccurrence, dropout: dropout, settings: settings, threadCount: threadCount)
                .map { (dropout: dropout, table: $0) }
        }
        for index in withCases {
            let cases = caseSets[index], givenCount = settings.newPersonGivenCounts[index]
            let group = RankingBlends.newPersonGroup(givenCount: givenCount), estimates = context.newPersonEstimates(cases)
            var bestRecall = -1.0
            for (dropout, table) in tables {
                let pools = context.newPersonPools(cases, estimates: estimates, table: table)
                let (blend, recall) = bestBlend(over: pools, settings: settings, threadCount: threadCount)
                guard recall > bestRecall else { continue }
                bestRecall = recall
                choice.newPersonDropouts[group] = dropout
                choice.blends.newPerson[group] = blend
                choice.newPersonRecall[givenCount] = recall
            }
        }
    }

    /// The blend of the settings' grid with the best mean recall@20 over `pools`, and that
    /// recall; the first of equals in grid order wins. Each pair of logistic parameters is
    /// evaluated once per pool and reused for every popularity weight.
    static func bestBlend(over pools: [CandidatePool], settings: RankingSettings, threadCount: Int) -> (RankingBlend, Double) {
        var best = (blend: settings.defaultBlends.knownUser, recall: -1.0)
        guard !pools.isEmpty else { return (best.blend, 0) }
        let weights = settings.popularityWeights
        for offset in settings.ratingOffsets {
            for slope in settings.ratingSlopes {
                let logistic = RankingBlend(popularityWeight: 0, ratingOffset: offset, ratingSlope: slope)
                let recalls = meanRecalls(over: pools, threadCount: threadCount) { pool, liking in
                    liking.removeAll(keepingCapacity: true)
                    for rating in pool.rating { liking.append(logistic.likingFactor(rating: rating)) }
                    return weights.map { weight in pool.recall(popularityWeight: weight, liking: liking) }
                }
                for (weight, recall) in zip(weights, recalls) where recall > best.recall {
                    best = (RankingBlend(popularityWeight: weight, ratingOffset: offset, ratingSlope: slope), recall)
                }
            }
        }
        return (best.blend, best.recall)
    }

    /// The means over `pools` of the recalls `recalls` returns for each pool (one per
    /// candidate blend), computed on `threadCount` threads; the second argument is scratch.
    private static func meanRecalls(
        over pools: [CandidatePool], threadCount: Int,
        _ recalls: @escaping @Sendable (CandidatePool, inout [Float]) -> [Double]
    ) -> [Double] {
        guard !pools.isEmpty else { return [0] }
        let threads = max(1, min(threadCount, pools.count))
        let sums = ParallelResults<[Double]>(count: threads)
        ParallelLoop.run(threadCount: threads) { thread in
            var total: [Double] = []
            var scratch: [Float] = []
            for index in ParallelLoop.chunk(thread, of: threads, total: pools.count) {
                let values = recalls(pools[index], &scratch)
                if total.isEmpty { total = values } else { for position in values.indices { total[position] += values[position] } }
            }
            sums.set(thread, total)
        }
        var total: [Double] = []
        for partial in sums.values where !partial.isEmpty {
            if total.isEmpty { total = partial } else { for position in partial.indices { total[position] += partial[position] } }
        }
        return total.map { $0 / Double(pools.count) }
    }
}

/// One person of the search reduced to the movies that can reach their list, with what the
/// blend needs of each.
struct CandidatePool: Sendable {
    /// The watch score of each pooled movie.
    var watch: [Float]
    /// The popularity share of each pooled movie.
    var popularity: [Float]
    /// The rating model's estimate of each pooled movie.
    var rating: [Float]
    /// Whether each pooled movie is relevant.
    var isRelevant: [Bool]
    /// How many relevant movies the person has in all, pooled or not.
    var relevantCount: Int

    /// The recall@20 within the pool of the blend with `popularityWeight` whose liking factor
    /// of each pooled movie is in `liking`.
    func recall(popularityWeight: Float, liking: [Float]) -> Double {
        let length = TopNProtocol.listLength
        var hits = 0
        let scores = watch.indices.map { (max(watch[$0], 0) + popularityWeight * popularity[$0]) * liking[$0] }
        for index in watch.indices where isRelevant[index] {
            let own = scores[index]
            var better = 0
            for other in watch.indices {
                let value = scores[other]
                if value > own || (value == own && other < index) {
                    better += 1
                    if better >= length { break }
                }
            }
            if better < length { hits += 1 }
        }
        return Double(hits) / Double(min(length, relevantCount))
    }
}

/// What building pools needs: the rating model's item side and the popularity prior.
private struct PoolContext: Sendable {
    var items: ItemParameterView
    var popularity: [Float]
    var popularOrder: [Int]
    var threadCount: Int

    /// Pools for training users, whose watch scores come from `watchModel` over their whole
    /// history, the movies they rated `likedRating` or more counting as liked.
    func knownUserPools(
        _ cases: [TopNCase], watch watchModel: KnownUserWatch, likedRating: Float, ratingModel: FactorParameters
    ) -> [CandidatePool] {
        pools(for: cases) { _, topNCase, watch in
            let liked = zip(topNCase.givenItems, topNCase.givenRatings).lazy.filter { $0.1 >= likedRating }.map(\.0)
            watchModel.add(ratedItems: topNCase.givenItems, likedItems: liked, into: watch)
            let person = ratingModel.person(ofUser: topNCase.user)
            return Recommender.scores(for: person, model: items)
        }
    }

    /// Each case's rating estimate of every item, for a person folded in from its given
    /// ratings: computed once per case and shared by the pools of every candidate table.
    func newPersonEstimates(_ cases: [TopNCase]) -> [[Float]] {
        let threads = max(1, min(threadCount, cases.count))
        let results = ParallelResults<[[Float]]>(count: threads)
        let items = self.items
        ParallelLoop.run(threadCount: threads) { thread in
            results.set(
                thread,
                ParallelLoop.chunk(thread, of: threads, total: cases.count).map { index in
                    let topNCase = cases[index]
                    let person = FoldIn.solve(items: topNCase.givenItems.map { Int($0) }, ratings: topNCase.givenRatings, model: items)
                    return Recommender.scores(for: person, model: items)
                })
        }
        return results.values.flatMap { $0 }
    }

    /// Pools for people folded in from their given ratings, whose watch scores sum the
    /// denoising weights of `table` over the movies they gave; `estimates` are
    /// `newPersonEstimates(cases)`.
    func newPersonPools(_ cases: [TopNCase], estimates: [[Float]], table: NeighbourTable) -> [CandidatePool] {
        table.items.withUnsafeBufferPointer { tableItems in
            table.similarities.withUnsafeBufferPointer { tableWeights in
                let sharedItems = SharedPointer(base: tableItems.baseAddress!),
                    sharedWeights = SharedPointer(base: tableWeights.baseAddress!)
                let slots = tableItems.count, perItem = table.neighboursPerItem, itemCount = items.itemCount
                return pools(for: cases) { index, topNCase, watch in
                    WatchWeights.accumulate(
                        rows: topNCase.givenItems.lazy.map { Int($0) },
                        items: UnsafeBufferPointer(start: sharedItems.base, count: slots),
                        weights: UnsafeBufferPointer(start: sharedWeights.base, count: slots),
                        perItem: perItem, into: watch, itemCount: itemCount)
                    return estimates[index]
                }
            }
        }
    }

    /// A pool per case; `scores` adds the watch scores of the case (given with its index in
    /// `cases`) into its zeroed buffer and returns the rating estimate of every item.
    private func pools(
        for cases: [TopNCase], scores: @escaping @Sendable (Int, TopNCase, UnsafeMutablePointer<Float>) -> [Float]
    ) -> [CandidatePool] {
        let threads = max(1, min(threadCount, cases.count))
        let results = ParallelResults<[CandidatePool]>(count: threads)
        let itemCount = items.itemCount, stride = FactorMatrix.paddedStride(for: itemCount)
        let context = self
        ParallelLoop.run(threadCount: threads) { thread in
            var watch = [Float](repeating: 0, count: stride)
            var excluded = [Bool](repeating: false, count: itemCount)
            var pools: [CandidatePool] = []
            for index in ParallelLoop.chunk(thread, of: threads, total: cases.count) {
                let topNCase = cases[index]
                for position in watch.indices { watch[position] = 0 }
                let ratings = watch.withUnsafeMutableBufferPointer { scores(index, topNCase, $0.baseAddress!) }
                for item in topNCase.givenItems { excluded[Int(item)] = true }
                let counts = context.items.itemRatingCounts
                let byWatch = TopItems.select(count: RankingBlendSearch.poolByWatch, from: itemCount) { item in
                    excluded[item] || counts[item] == 0 ? nil : watch[item]
                }
                var chosen = byWatch.map(\.item)
                let inPool = Set(chosen)
                var added = 0
                for item in context.popularOrder where added < RankingBlendSearch.poolByPopularity {
                    if excluded[item] || counts[item] == 0 { continue }
                    added += 1
                    if !inPool.contains(item) { chosen.append(item) }
                }
                for item in topNCase.givenItems { excluded[Int(item)] = false }
                let relevant = Set(topNCase.relevantItems.map { Int($0) })
                pools.append(
                    CandidatePool(
                        watch: chosen.map { watch[$0] }, popularity: chosen.map { context.popularity[$0] },
                        rating: chosen.map { ratings[$0] }, isRelevant: chosen.map { relevant.contains($0) },
                        relevantCount: topNCase.relevantItems.count))
            }
            results.set(thread, pools)
        }
        return results.values.flatMap { $0 }
    }
}
