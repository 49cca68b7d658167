import RecAPI
import RecModels
import RecSupport
import RecTraining

/// One method's figures under a top-N protocol.
public struct TopNMethodResult: Sendable, Equatable, Codable {
    /// The method, for example `RecServe` or `EASE`.
    public var name: String
    /// Whether it is a baseline computed for comparison.
    public var isBaseline: Bool
    /// Mean recall@20.
    public var recall: Double
    /// Mean NDCG@20.
    public var normalizedDiscountedCumulativeGain: Double

    enum CodingKeys: String, CodingKey {
        case name
        case isBaseline = "baseline"
        case recall = "recall_at_20"
        case normalizedDiscountedCumulativeGain = "ndcg_at_20"
    }
}

/// What `rec-cli evaluate --protocol` prints: RecServe's lists and the baselines' under one
/// protocol, over the same people, in one run.
public struct TopNReport: Sendable, Equatable {
    /// The protocol.
    public var kind: TopNProtocol
    /// The seed that chose the given ratings.
    public var seed: UInt64
    /// The model generation judged.
    public var generation: Int
    /// The people judged.
    public var users: Int
    /// The people passed over for having fewer training ratings than the protocol gives.
    public var skippedUsers: Int
    /// Training rows the model does not know (a training file that differs from the model's).
    public var unknownTrainingRows: Int
    /// Every method, RecServe first, then the baselines.
    public var methods: [TopNMethodResult]

    /// The baseline with the highest recall@20.
    public var bestBaseline: TopNMethodResult? {
        methods.filter(\.isBaseline).max { $0.recall < $1.recall }
    }

    /// RecServe's recall@20 over the best baseline's.
    public var recallRatio: Double? {
        guard let best = bestBaseline, best.recall > 0, let recServe = methods.first(where: { !$0.isBaseline }) else { return nil }
        return recServe.recall / best.recall
    }
}

/// Runs a top-N protocol (`TopNProtocol`) for the served model and for the baselines the
/// issue asks for, all computed in the same run from the same training data:
///
/// - **most popular**: movies by number of training ratings;
/// - **item-kNN**: the cosine similarity of who rated what, summed over the movies the person
///   liked (every movie they gave when they liked none);
/// - **EASE** (Steck 2019) with the ridge penalty 500, the best of 250, 500 and 1,000 on the
///   validation split for known users.
///
/// RecServe is judged through `RecommendationEngine`, the code the API runs, in both its
/// rankings.
public enum TopNEvaluator {
    /// The EASE baseline's ridge penalty.
    public static let baselineEASERegularization: Float = 500

    /// Judges `engine`'s model and the baselines on `evaluation` (the evaluated file's rows),
    /// with `training` the file the model was trained on.
    public static func evaluate(
        engine: RecommendationEngine, training: RatingTable, evaluation: RatingTable, kind: TopNProtocol,
        seed: UInt64, threadCount: Int = TrainingOptions.availableCores
    ) -> TopNReport {
        let model = engine.model
        let users = IdentifierIndex(sortedUnique: Array(model.userIDs))
        let items = IdentifierIndex(sortedUnique: Array(model.movieIDs))
        let trainingRatings = IndexedRatings(training, users: users, items: items)
        let evaluatedRatings = IndexedRatings(evaluation, users: users, items: items)
        let cases = TopNCaseSet(kind, training: trainingRatings, evaluation: evaluatedRatings, seed: seed)

        let counts = trainingRatings.itemRatingCounts
        let cooccurrence = ItemCooccurrence.counts(of: RatedItemSets(trainingRatings), threadCount: threadCount)
        var rankers: [any TopNRanker] = [
            EngineRanker(engine: engine, kind: kind, ranking: .relevance),
            EngineRanker(engine: engine, kind: kind, ranking: .rating),
            PopularityRanker(order: RankingPopularity.order(of: counts), itemRatingCounts: counts),
            ItemToItemRanker(
                name: "item-kNN", weights: ItemCosineSimilarity.matrix(cooccurrence: cooccurrence),
                itemRatingCounts: counts, usesLikedMoviesOnly: true),
        ]
        if let ease = ItemAutoencoder.ease(cooccurrence: cooccurrence, regularization: baselineEASERegularization, threadCount: threadCount)
        {
            rankers.append(ItemToItemRanker(name: "EASE", weights: ease, itemRatingCounts: counts, usesLikedMoviesOnly: false))
        }
        let methods = rankers.enumerated().map { index, ranker in
            let scores = judge(ranker, on: cases.cases, threadCount: threadCount)
            return TopNMethodResult(
                name: ranker.name, isBaseline: index >= 2, recall: scores.recall,
                normalizedDiscountedCumulativeGain: scores.normalizedDiscountedCumulativeGain)
        }
        return TopNReport(
            kind: kind, seed: seed, generation: model.generation, users: cases.cases.count,
            skippedUsers: cases.skippedUsers, unknownTrainingRows: training.count - trainingRatings.count, methods: methods)
    }

    /// `ranker`'s mean recall@20 and NDCG@20 over `cases`, on `threadCount` threads.
    static func judge(_ ranker: any TopNRanker, on cases: [TopNCase], threadCount: Int) -> TopNAccumulator {
        let threads = max(1, min(threadCount, cases.count))
        let partial = ParallelResults<TopNAccumulator>(count: threads)
        ParallelLoop.run(threadCount: threads) { thread in
            var accumulator = TopNAccumulator()
            for index in ParallelLoop.chunk(thread, of: threads, total: cases.count) {
                accumulator.add(ranked: ranker.rank(cases[index], count: TopNProtocol.listLength), relevant: cases[index].relevantItems)
            }
            partial.set(thread, accumulator)
        }
        var total = TopNAccumulator()
        for accumulator in partial.values { total.merge(accumulator) }
        return total
    }
}
