import Logging
import RecSupport

/// Builds a generation's ranking model from who rated what and the trained rating model:
/// the known users' ranked lists, the new-person weights and the blends.
///
/// 1. With a validation split, `RankingBlendSearch` chooses the EASE model, each new-person
///    group's dropout and every blend on it; without one the defaults of `RankingSettings` are used.
/// 2. EASE is refitted on every training rating, and every training user's list is ranked
///    once, over the whole catalogue, and stored: `/api/recommend` then only reads a prefix.
/// 3. The denoising model is refitted on every rating for each chosen dropout, and its largest
///    weights are kept for new people (`WatchWeights`, `NewPersonWatchWeights`).
///
/// On MovieLens-1M the whole model takes a few seconds on two cores: each fit is one inverse
/// of a 3,706 × 3,706 matrix (`SymmetricInverse`).
package enum RankingModelTrainer {
    /// The part of the training run the search needs: the validation fit of the rating model.
    package struct ValidationFit: Sendable {
        /// The training part of the split.
        package var fitPart: IndexedRatings
        /// The held-out rows.
        package var validation: IndexedRatings
        /// The rating model fitted on `fitPart`.
        package var ratingModel: FactorParameters
        /// How `ratingModel` folds people in.
        package var foldIn: FoldInParameters

        /// Collects the validation fit for `RankingModelTrainer.train`.
        package init(
            fitPart: IndexedRatings, validation: IndexedRatings, ratingModel: FactorParameters,
            foldIn: FoldInParameters
        ) {
            self.fitPart = fitPart
            self.validation = validation
            self.ratingModel = ratingModel
            self.foldIn = foldIn
        }
    }

    /// The ranking model and how it was made.
    package struct Outcome: Sendable {
        /// What the model file stores.
        package var artifact: RankingArtifact
        /// What the metadata records.
        package var summary: RankingSummary
    }

    /// Builds the ranking model for `ratings` and the final `ratingModel`, or returns nil when
    /// the settings disable it or the catalogue is too large (both logged).
    package static func train(
        ratings: IndexedRatings, ratingModel: FactorParameters, validationFit: ValidationFit?,
        settings: RankingSettings, seed: UInt64, threadCount: Int, logger: Logger
    ) -> Outcome? {
        guard settings.isEnabled else { return nil }
        guard ratings.itemCount <= settings.maximumItemCount else {
            logger.warning(
                "the catalogue is too large for the ranking model; lists follow the rating order",
                metadata: [
                    "movies": "\(ratings.itemCount)", "maximum": "\(settings.maximumItemCount)",
                ])
            return nil
        }
        let start = ContinuousClock.now
        let choice = validationFit.map { chooseBlends(on: $0, settings: settings, seed: seed, threadCount: threadCount, logger: logger) }
        let knownModel = choice?.knownUserModel ?? settings.knownUserModels[0]
        let dropouts =
            choice?.newPersonDropouts ?? Array(repeating: settings.newPersonDropouts[0], count: RankingBlends.newPersonGroupCount)
        let blends = choice?.blends ?? settings.defaultBlends
        let sets = RatedItemSets(ratings)
        let likedSets = RatedItemSets(ratings, minimumRating: settings.likedRating)
        guard
            let (knownWatch, newWeights) = autoencoderWeights(
                sets: sets, likedSets: likedSets, knownModel: knownModel, dropouts: dropouts, settings: settings,
                threadCount: threadCount)
        else {
            logger.warning("the ranking model's matrix is not positive definite; lists follow the rating order")
            return nil
        }
        let listLength = min(settings.rankedItemsPerUser, ratings.itemCount)
        let rankedItems = rankKnownUsers(
            sets: sets, likedSets: likedSets, watch: knownWatch, ratingModel: ratingModel, blend: blends.knownUser,
            itemRatingCounts: ratings.itemRatingCounts, listLength: listLength, threadCount: threadCount)
        let seconds = (ContinuousClock.now - start).inSeconds
        logger.info(
            "built the ranking model",
            metadata: [
                "users": "\(sets.userCount)", "ranked_per_user": "\(listLength)", "weights_per_movie": "\(newWeights.weightsPerItem)",
                "new_person_tables": "\(newWeights.tables.count)",
                "seconds": "\(seconds.fourDecimals)",
            ])
        let artifact = RankingArtifact(
            ratedItems: sets, rankedItemsPerUser: listLength, userRankedItems: rankedItems,
            watchWeights: newWeights, blends: blends)
        let summary = RankingSummary(
            knownUserModel: knownModel, newPersonDropouts: dropouts,
            denoisingUserWeightExponent: settings.denoisingUserWeightExponent,
            denoisingRegularization: settings.denoisingRegularization,
            watchWeightsPerItem: newWeights.weightsPerItem, rankedItemsPerUser: listLength,
            blends: blends, fittedOnValidation: validationFit != nil, knownUserValidationRecall: choice?.knownUserRecall,
            newPersonValidationRecall: choice.map {
                Dictionary(uniqueKeysWithValues: $0.newPersonRecall.map { (String($0.key), $0.value) })
            },
            seconds: seconds)
        return Outcome(artifact: artifact, summary: summary)
    }

    /// The models and blends `RankingBlendSearch` chooses on the validation split, logged.
    private static func chooseBlends(
        on fit: ValidationFit, settings: RankingSettings, seed: UInt64, threadCount: Int, logger: Logger
    ) -> RankingBlendSearch.Choice {
        let choice = RankingBlendSearch.choose(
            fitPart: fit.fitPart, validation: fit.validation, ratingModel: fit.ratingModel, foldIn: fit.foldIn,
            settings: settings, seed: seed, threadCount: threadCount)
        let newPersonRecall = choice.newPersonRecall.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.fourDecimals)" }
        logger.info(
            "chose the ranking blends",
            metadata: [
                "known_user_regularization": "\(choice.knownUserModel.regularization)",
                "known_user_weight_exponent": "\(choice.knownUserModel.userWeightExponent)",
                "known_user_liked_weight": "\(choice.knownUserModel.likedWeight)",
                "new_person_dropouts": "\(choice.newPersonDropouts.map { "\($0)" }.joined(separator: ";"))",
                "known_user_blend": "\(describe(choice.blends.knownUser))",
                "new_person_blends": "\(choice.blends.newPerson.map(describe).joined(separator: ";"))",
                "known_user_validation_recall": "\(choice.knownUserRecall.fourDecimals)",
                "new_person_validation_recall": "\(newPersonRecall.joined(separator: ","))",
            ])
        return choice
    }

    /// The watch model for known users (with the liked-movies EASE over `likedSets` when the
    /// model weighs it) and the denoising weights for new people over `sets`, one table per
    /// distinct dropout of `dropouts` (one per group), or nil when a system is not positive
    /// definite.
    private static func autoencoderWeights(
        sets: RatedItemSets, likedSets: RatedItemSets, knownModel: KnownUserModel, dropouts: [Float],
        settings: RankingSettings, threadCount: Int
    ) -> (known: KnownUserWatch, new: NewPersonWatchWeights)? {
        var cooccurrences = WeightedCooccurrences(sets: sets, threadCount: threadCount)
        guard
            let known = ItemAutoencoder.ease(
                cooccurrence: cooccurrences.matrix(userWeightExponent: knownModel.userWeightExponent),
                regularization: knownModel.regularization, threadCount: threadCount),
            let new = newPersonWeights(
                cooccurrence: cooccurrences.matrix(userWeightExponent: settings.denoisingUserWeightExponent), dropouts: dropouts,
                settings: settings, threadCount: threadCount)
        else { return nil }
        guard knownModel.likedWeight != 0 else { return (KnownUserWatch(rated: known, liked: nil, likedWeight: 0), new) }
        guard let liked = likedMoviesWeights(likedSets, settings: settings, threadCount: threadCount) else { return nil }
        return (KnownUserWatch(rated: known, liked: liked, likedWeight: knownModel.likedWeight), new)
    }

    /// The denoising weights for each group's dropout of `dropouts`, each dropout fitted once,
    /// or nil when a system is not positive definite.
    private static func newPersonWeights(
        cooccurrence: SquareMatrix, dropouts: [Float], settings: RankingSettings, threadCount: Int
    ) -> NewPersonWatchWeights? {
        var tableByDropout: [Float: NeighbourTable] = [:]
        for dropout in dropouts where tableByDropout[dropout] == nil {
            guard let table = newPersonTable(cooccurrence: cooccurrence, dropout: dropout, settings: settings, threadCount: threadCount)
            else { return nil }
            tableByDropout[dropout] = table
        }
        return NewPersonWatchWeights(groupTables: dropouts.map { tableByDropout[$0]! })
    }

    /// The denoising model for `dropout` over `cooccurrence`, reduced to the largest weights of
    /// each movie that a new person's scores add up (`WatchWeights`), or nil when its system is
    /// not positive definite.
    static func newPersonTable(
        cooccurrence: SquareMatrix, dropout: Float, settings: RankingSettings, threadCount: Int
    ) -> NeighbourTable? {
        guard
            let weights = ItemAutoencoder.denoising(
                cooccurrence: cooccurrence, dropout: dropout, regularization: settings.denoisingRegularization,
                threadCount: threadCount)
        else { return nil }
        return WatchWeights.table(from: weights, weightsPerItem: settings.watchWeightsPerItem, threadCount: threadCount)
    }

    /// The liked-movies EASE of `settings.likedMoviesModel` over `likedSets`, or nil when its
    /// system is not positive definite.
    static func likedMoviesWeights(_ likedSets: RatedItemSets, settings: RankingSettings, threadCount: Int) -> SquareMatrix? {
        let model = settings.likedMoviesModel
        return ItemAutoencoder.ease(
            cooccurrence: ItemCooccurrence.counts(of: likedSets, userWeightExponent: model.userWeightExponent, threadCount: threadCount),
            regularization: model.regularization, threadCount: threadCount)
    }

    /// Every training user's best `listLength` movies by `blend`, over every movie they did not
    /// rate that has training ratings, as `userCount × listLength` item indices padded with `-1`.
    static func rankKnownUsers(
        sets: RatedItemSets, likedSets: RatedItemSets, watch watchModel: KnownUserWatch, ratingModel: FactorParameters,
        blend: RankingBlend, itemRatingCounts: [Int32], listLength: Int, threadCount: Int
    ) -> [Int32] {
        let userCount = sets.userCount, itemCount = sets.itemCount, stride = watchModel.stride
        var ranked = [Int32](repeating: -1, count: userCount * listLength)
        let popularity = RankingPopularity.shares(of: itemRatingCounts)
        let threads = max(1, min(threadCount, userCount))
        let foldIn = FoldInParameters(biasRegularization: 1, factorRegularization: 1, priorRatingCount: 0)
        ranked.withUnsafeMutableBufferPointer { ranked in
            let sharedRanked = SharedMutablePointer(base: ranked.baseAddress!)
            ratingModel.withItemParameterView(itemRatingCounts: itemRatingCounts, foldIn: foldIn) { items in
                ParallelLoop.run(threadCount: threads) { thread in
                    var watch = [Float](repeating: 0, count: stride)
                    var rated = [Bool](repeating: false, count: itemCount)
                    for user in ParallelLoop.chunk(thread, of: threads, total: userCount) {
                        let history = sets.items(ofUser: user)
                        for index in watch.indices { watch[index] = 0 }
                        watch.withUnsafeMutableBufferPointer { watch in
                            watchModel.add(ratedItems: history, likedItems: likedSets.items(ofUser: user), into: watch.baseAddress!)
                        }
                        for item in history { rated[Int(item)] = true }
                        let ratings = Recommender.scores(for: ratingModel.person(ofUser: user), model: items)
                        let best = TopItems.select(count: listLength, from: itemCount) { item in
                            rated[item] || itemRatingCounts[item] == 0
                                ? nil : blend.score(watch: watch[item], popularity: popularity[item], rating: ratings[item])
                        }
                        for item in history { rated[Int(item)] = false }
                        for (slot, entry) in best.enumerated() { sharedRanked.base[user * listLength + slot] = Int32(entry.item) }
                    }
                }
            }
        }
        return ranked
    }

    private static func describe(_ blend: RankingBlend) -> String {
        "popularity=\(blend.popularityWeight),offset=\(blend.ratingOffset),slope=\(blend.ratingSlope)"
    }
}
