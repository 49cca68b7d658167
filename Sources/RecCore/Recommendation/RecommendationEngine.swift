import RecModelFile
import RecModels
import RecTitleMatching

/// A movie recommended to a person, with the rating the model expects them to give it.
public struct Recommendation: Sendable, Equatable {
    /// The movie id.
    public var movieID: Int32
    /// The catalogue title.
    public var title: String
    /// The predicted rating, clamped to 1...5.
    public var rating: Float
}

/// A movie similar to another, with their similarity.
public struct SimilarMovie: Sendable, Equatable {
    /// The movie id.
    public var movieID: Int32
    /// The catalogue title.
    public var title: String
    /// The shrunk Pearson-baseline similarity, in (0, 1].
    public var similarity: Float
}

/// A predicted rating for a (user, movie) pair of a ratings file.
public struct RatingPrediction: Sendable, Equatable {
    /// The prediction, clamped to 1...5.
    public var rating: Float
    /// Whether the user or the movie was unknown to the model, so biases stood in for factors.
    public var isFallback: Bool
    /// The prediction before clamping, for ranking.
    public var unclampedRating: Float
}

/// Answers the questions RecServe serves — recommend for a new person, find similar movies,
/// predict a known user's rating — against one loaded model generation.
///
/// Pure and socket-free: the CLI, `MyRecModel` and the FastCGI workers all call it, so input
/// validation, title resolution and limits are the same everywhere.
public struct RecommendationEngine: Sendable {
    /// How many recommendations may be asked for.
    public static let recommendationCountRange = 1...1000
    /// How many similar movies may be asked for.
    public static let similarCountRange = 1...100
    /// The allowed ratings.
    public static let ratingRange: ClosedRange<Double> = 1...5
    /// How many suggestions an unknown title gets.
    public static let suggestionCount = 3
    /// The most rated movies one request may give. With `fuzzyTitleSearchLimit` and the 64 KiB
    /// body limit, it bounds what title matching can cost a worker: the worst body, this many
    /// near-miss titles, costs about 1.5 ms in the router (`rec-cli bench`, "worst-case body"),
    /// about fifteen times the ~0.1 ms of worker time a normal request takes end to end.
    public static let ratedMovieLimit = 500
    /// How many titles of one request that match no title exactly are searched for close
    /// matches (and suggestions); the rest must match exactly. A fuzzy search scores many index
    /// keys (about 0.1 ms, a whole normal request's worth), so a request full of unknown titles
    /// must not run one per title.
    public static let fuzzyTitleSearchLimit = 4

    /// The model generation the answers come from.
    public let model: LoadedModel
    /// The item side of the model, for folding in and scoring.
    public let items: ItemParameterView
    /// The 16-bit copy of the item factors that lets `recommend` score exactly only the few
    /// movies that can make the list; `nil` for models without factors.
    public let quantizedItems: QuantizedItemFactors?
    /// Each movie's popularity share for the ranking blend (`RankingPopularity`); empty for a
    /// model without a ranking model.
    let popularity: [Float]
    /// The words of the model's title keys, for the movie search (`searchMovies`) and the
    /// suggestions for unknown titles.
    public let titleWords: TitleSearchIndex

    /// An engine over `model`. Building it quantizes the item factors and indexes the title
    /// words once (a few milliseconds on MovieLens-1M), so make one per loaded generation, not
    /// per query.
    public init(model: LoadedModel) {
        self.model = model
        items = ItemParameterView(
            globalMean: model.globalMean, factorCount: model.factorCount, stride: model.factorStride,
            itemBiases: model.itemBiases, itemFactors: model.itemFactors,
            itemImplicitFactors: model.itemImplicitFactors, itemRatingCounts: model.itemRatingCounts,
            foldIn: model.foldIn, foldInFactorPenalties: model.foldInFactorPenalties)
        quantizedItems = QuantizedItemFactors(items: items)
        popularity = model.ranking == nil ? [] : RankingPopularity.shares(of: model.itemRatingCounts)
        titleWords = TitleSearchIndex(index: model.titleIndex, itemCount: model.itemCount)
    }

    /// The movie search over the model's titles: what `/api/movies` ranks by, and where an
    /// unknown title's suggestions come from.
    public var titleSearch: TitleSearch {
        TitleSearch(words: titleWords, matcher: TitleMatcher(index: model.titleIndex, ratingCounts: model.itemRatingCounts))
    }

    /// The title of item `item`.
    public func title(ofItem item: Int) -> String { model.titles[item] }

    /// Finds the movie `reference` names, or reports it unknown with suggestions.
    public func resolve(_ reference: MovieReference) -> Result<ResolvedMovie, UnknownMovie> {
        switch resolveItem(reference) {
        case .success(let (item, match)):
            return .success(resolved(item, match: match))
        case .failure(let unknown):
            return .failure(unknown)
        }
    }

    /// Finds the movie `reference` names, or throws `unknown_movie` with suggestions.
    public func resolveMovie(_ reference: MovieReference) throws(QueryError) -> ResolvedMovie {
        switch resolve(reference) {
        case .success(let movie): return movie
        case .failure(let unknown): throw Self.unknownMoviesError([unknown])
        }
    }

    /// The item `reference` names and how it was found, without making its title `String`.
    private func resolveItem(_ reference: MovieReference) -> Result<(item: Int, match: ResolvedMovie.Match), UnknownMovie> {
        var oneSearch = FuzzyTitleSearchBudget(searches: 1)
        return resolveItem(reference, budget: &oneSearch)
    }

    /// `resolveItem(_:)`, searching fuzzily only while `budget` allows (and spending from it);
    /// without a search left, a title must match exactly.
    private func resolveItem(
        _ reference: MovieReference,
        budget: inout FuzzyTitleSearchBudget
    ) -> Result<(item: Int, match: ResolvedMovie.Match), UnknownMovie> {
        switch reference {
        case .id(let movieID):
            guard let item = model.itemIndex(movieID: movieID) else {
                return .failure(UnknownMovie(query: String(movieID), suggestions: []))
            }
            return .success((item, .identifier))
        case .title(let query):
            let search = titleSearch
            guard budget.remaining > 0 else {
                if let item = search.matcher.exactItem(query) { return .success((Int(item), .exactTitle)) }
                budget.noteTitleLeftUnsearched()
                return .failure(UnknownMovie(query: query, suggestions: []))
            }
            let resolution = search.resolve(query)
            if case .exact = resolution {} else { budget.spendOne() }
            switch resolution {
            case .exact(let item):
                return .success((Int(item), .exactTitle))
            case .fuzzy(let item, let score):
                return .success((Int(item), .fuzzyTitle(score: score)))
            case .notFound(let suggestions):
                return .failure(
                    UnknownMovie(query: query, suggestions: suggestions.prefix(Self.suggestionCount).map { title(ofItem: Int($0)) }))
            }
        }
    }

    /// The `count` movies `ranking` picks for a person who gave `ratings`, never one they rated,
    /// in descending order of their estimated rating.
    public func recommend(
        ratings: [(movie: MovieReference, rating: Double)], count: Int,
        ranking: RecommendationRanking = .defaultRanking
    ) throws(QueryError) -> [Recommendation] {
        try recommendations(recommendedItems(ratings: ratings, count: count, ranking: ranking))
    }

    /// `recommend(ratings:count:ranking:)` as item indices and estimated ratings (clamped to
    /// 1...5): what the API writes out without making a `String` per title.
    public func recommendedItems(
        ratings: [(movie: MovieReference, rating: Double)], count: Int,
        ranking: RecommendationRanking = .defaultRanking
    ) throws(QueryError) -> [ScoredItem] {
        Self.displayOrder(try rankedItems(ratings: ratings, count: count, ranking: ranking))
    }

    /// The list `ranking` picks for a person who gave `ratings`, best first by the ranking,
    /// each with the person's unclamped rating estimate: what the top-N protocols judge.
    ///
    /// Checks the count, that there is at least one rating and that every rating is a finite
    /// number from 1 to 5, then resolves every movie (reporting all unknown ones together) and
    /// folds the person in. `relevance` then ranks with `RelevanceRanker`, or in rating order
    /// when the model has no ranking model; `rating` ranks with
    /// `Recommender.recommend(for:model:quantized:excluding:count:)`.
    public func rankedItems(
        ratings: [(movie: MovieReference, rating: Double)], count: Int,
        ranking: RecommendationRanking = .defaultRanking
    ) throws(QueryError) -> [ScoredItem] {
        try Self.checkCount(count)
        guard !ratings.isEmpty else {
            throw QueryError(.emptyInput, "give at least one rated movie")
        }
        guard ratings.count <= Self.ratedMovieLimit else {
            throw QueryError(.tooManyMovies, "give at most \(Self.ratedMovieLimit) rated movies, not \(ratings.count)")
        }
        for (movie, rating) in ratings where !(rating.isFinite && Self.ratingRange.contains(rating)) {
            throw QueryError(.invalidRating, "the rating of '\(movie)' must be a number from 1 to 5, not \(rating)")
        }
        let resolved = try resolveItems(ratings.map(\.movie))
        let person = FoldIn.solve(items: resolved, ratings: ratings.map { Float($0.rating) }, model: items)
        if ranking == .relevance, let rankingModel = model.ranking {
            return RelevanceRanker.rank(
                person: person, givenItems: resolved, items: items, ranking: rankingModel,
                popularity: popularity, count: count)
        }
        return Recommender.recommend(for: person, model: items, quantized: quantizedItems, excluding: resolved, count: count)
    }

    /// The `count` movies `ranking` picks for the training user `userID`, never one they rated
    /// in training, in descending order of their estimated rating.
    public func recommend(
        userID: Int32, count: Int, ranking: RecommendationRanking = .defaultRanking
    ) throws(QueryError) -> [Recommendation] {
        try recommendations(recommendedItems(userID: userID, count: count, ranking: ranking))
    }

    /// `recommend(userID:count:ranking:)` as item indices and clamped estimated ratings.
    public func recommendedItems(
        userID: Int32, count: Int, ranking: RecommendationRanking = .defaultRanking
    ) throws(QueryError) -> [ScoredItem] {
        Self.displayOrder(try rankedItems(userID: userID, count: count, ranking: ranking))
    }

    /// The list `ranking` picks for the training user `userID`, best first by the ranking, with
    /// unclamped rating estimates. `relevance` reads the list ranked at training time;
    /// `rating` scores every movie the user did not rate.
    ///
    /// - Throws: `count_out_of_range`, `unknown_user` for an id not in the training data, or
    ///   `no_user_history` for a model that does not record who rated what.
    public func rankedItems(userID: Int32, count: Int, ranking: RecommendationRanking = .defaultRanking) throws(QueryError) -> [ScoredItem]
    {
        try Self.checkCount(count)
        guard let user = model.userIndex(userID: userID) else {
            throw QueryError(.unknownUser, "there is no user \(userID) in the training data; only its users can be recommended to by id")
        }
        guard let rankingModel = model.ranking else {
            throw QueryError(
                .noUserHistory, "this model generation does not record who rated what; train a new one to recommend to known users")
        }
        let stride = model.factorStride
        let person = FoldedInPerson(
            bias: model.userBiases[user],
            factors: stride == 0 ? [] : Array(model.userFactors[(user * stride)..<((user + 1) * stride)]))
        if ranking == .rating {
            return Recommender.recommend(
                for: person, model: items, quantized: quantizedItems,
                excluding: rankingModel.ratedItems(ofUser: user), count: count)
        }
        return rankingModel.rankedItems(ofUser: user).prefix(count).map { item in
            ScoredItem(item: Int(item), score: Recommender.estimate(for: person, item: Int(item), model: items))
        }
    }

    /// `ranked` with clamped ratings, in descending order of rating; equal ratings keep their
    /// ranked order.
    static func displayOrder(_ ranked: [ScoredItem]) -> [ScoredItem] {
        ranked.enumerated()
            .map { (rank: $0.offset, item: ScoredItem(item: $0.element.item, score: RatingMetrics.clamp($0.element.score))) }
            .sorted { $0.item.score > $1.item.score || ($0.item.score == $1.item.score && $0.rank < $1.rank) }
            .map(\.item)
    }

    /// The public form of scored items.
    private func recommendations(_ scored: [ScoredItem]) -> [Recommendation] {
        scored.map { Recommendation(movieID: model.movieIDs[$0.item], title: title(ofItem: $0.item), rating: $0.score) }
    }

    private static func checkCount(_ count: Int) throws(QueryError) {
        guard recommendationCountRange.contains(count) else {
            throw QueryError(
                .countOutOfRange,
                "the number of recommendations must be from \(recommendationCountRange.lowerBound) to \(recommendationCountRange.upperBound), not \(count)"
            )
        }
    }

    /// The `count` movies most similar to `movie`, most similar first, never the movie itself.
    public func similar(to movie: MovieReference, count: Int) throws(QueryError) -> [SimilarMovie] {
        try similarItems(to: movie, count: count).map { neighbour in
            SimilarMovie(movieID: model.movieIDs[neighbour.item], title: title(ofItem: neighbour.item), similarity: neighbour.score)
        }
    }

    /// `similar(to:count:)` as item indices and similarities, most similar first.
    public func similarItems(to movie: MovieReference, count: Int) throws(QueryError) -> [ScoredItem] {
        guard Self.similarCountRange.contains(count) else {
            throw QueryError(
                .countOutOfRange,
                "the number of similar movies must be from \(Self.similarCountRange.lowerBound) to \(Self.similarCountRange.upperBound), not \(count)"
            )
        }
        let target = try resolveItems([movie])[0]
        let neighbours = model.neighbours(ofItem: target)
        var result: [ScoredItem] = []
        result.reserveCapacity(min(count, neighbours.items.count))
        for slot in 0..<neighbours.items.count where result.count < count {
            let item = Int(neighbours.items[slot])
            // Validated on open; checked again because a file changed in place mid-request
            // must not make this read outside the catalogue before the change is noticed.
            guard item >= 0, item < model.itemCount, item != target else { continue }
            result.append(ScoredItem(item: item, score: neighbours.similarities[slot]))
        }
        if result.isEmpty {
            throw QueryError(
                .noSimilarityData, "'\(title(ofItem: target))' has too few ratings in the training data to have similar movies")
        }
        return result
    }

    /// The predicted rating of a training user for a movie; unknown users or movies fall back
    /// to the biases that are known (and to the global mean when neither is).
    public func predictRating(userID: Int32, movieID: Int32) -> RatingPrediction {
        let user = model.userIndex(userID: userID)
        let item = model.itemIndex(movieID: movieID).flatMap { model.itemRatingCounts[$0] > 0 ? $0 : nil }
        var rating = model.globalMean
        if let user { rating += model.userBiases[user] }
        if let item { rating += model.itemBiases[item] }
        if let user, let item, model.factorStride > 0 {
            let stride = model.factorStride
            rating += VectorKernels.dot(
                model.userFactors.baseAddress! + user * stride, model.itemFactors.baseAddress! + item * stride,
                length: stride)
        }
        return RatingPrediction(rating: RatingMetrics.clamp(rating), isFallback: user == nil || item == nil, unclampedRating: rating)
    }

    private func resolved(_ item: Int, match: ResolvedMovie.Match) -> ResolvedMovie {
        ResolvedMovie(item: item, movieID: model.movieIDs[item], title: title(ofItem: item), match: match)
    }

    /// Resolves every reference to its item index, or throws one error listing all the unknown ones.
    private func resolveItems(_ references: [MovieReference]) throws(QueryError) -> [Int] {
        var found: [Int] = []
        found.reserveCapacity(references.count)
        var unknown: [UnknownMovie] = []
        var budget = FuzzyTitleSearchBudget(searches: Self.fuzzyTitleSearchLimit)
        for reference in references {
            switch resolveItem(reference, budget: &budget) {
            case .success(let (item, _)): found.append(item)
            case .failure(let missing): unknown.append(missing)
            }
        }
        guard unknown.isEmpty else { throw Self.unknownMoviesError(unknown, leftATitleUnsearched: budget.leftATitleUnsearched) }
        return found
    }

    /// One `unknown_movie` error naming every reference in `unknown`, with their suggestions.
    private static func unknownMoviesError(_ unknown: [UnknownMovie], leftATitleUnsearched: Bool = false) -> QueryError {
        let names = unknown.map { "'\($0.query)'" }.joined(separator: ", ")
        let budget =
            leftATitleUnsearched
            ? "; only the first \(fuzzyTitleSearchLimit) titles without an exact match in a request are searched for close matches, the others must be exact"
            : ""
        return QueryError(.unknownMovie, "unknown movie\(unknown.count == 1 ? "" : "s"): \(names)\(budget)", unknownMovies: unknown)
    }
}
