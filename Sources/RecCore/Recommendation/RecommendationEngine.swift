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

    /// The model generation the answers come from.
    public let model: LoadedModel
    /// The item side of the model, for folding in and scoring.
    public let items: ItemParameterView

    /// An engine over `model`.
    public init(model: LoadedModel) {
        self.model = model
        items = ItemParameterView(globalMean: model.globalMean, factorCount: model.factorCount, stride: model.factorStride,
                                  itemBiases: model.itemBiases, itemFactors: model.itemFactors,
                                  itemImplicitFactors: model.itemImplicitFactors, itemRatingCounts: model.itemRatingCounts,
                                  foldIn: model.foldIn, foldInFactorPenalties: model.foldInFactorPenalties)
    }

    /// The title of item `item`.
    public func title(ofItem item: Int) -> String { model.titles[item] }

    /// Finds the movie `reference` names, or reports it unknown with suggestions.
    public func resolve(_ reference: MovieReference) -> Result<ResolvedMovie, UnknownMovie> {
        switch reference {
        case .id(let movieID):
            guard let item = model.itemIndex(movieID: movieID) else {
                return .failure(UnknownMovie(query: String(movieID), suggestions: []))
            }
            return .success(ResolvedMovie(item: item, movieID: movieID, title: title(ofItem: item), match: .identifier))
        case .title(let query):
            let matcher = TitleMatcher(index: model.titleIndex, ratingCounts: model.itemRatingCounts)
            switch matcher.resolve(query) {
            case .exact(let item):
                return .success(resolved(Int(item), match: .exactTitle))
            case .fuzzy(let item, let score):
                return .success(resolved(Int(item), match: .fuzzyTitle(score: score)))
            case .notFound(let suggestions):
                return .failure(UnknownMovie(query: query, suggestions: suggestions.prefix(Self.suggestionCount).map { title(ofItem: Int($0)) }))
            }
        }
    }

    /// Finds the movie `reference` names, or throws `unknown_movie` with suggestions.
    public func resolveMovie(_ reference: MovieReference) throws(QueryError) -> ResolvedMovie {
        try resolveAll([reference])[0]
    }

    /// The `count` best movies for a person who gave `ratings`, best first, never one they rated.
    public func recommend(ratings: [(movie: MovieReference, rating: Double)], count: Int) throws(QueryError) -> [Recommendation] {
        guard Self.recommendationCountRange.contains(count) else {
            throw QueryError(.countOutOfRange, "the number of recommendations must be from \(Self.recommendationCountRange.lowerBound) to \(Self.recommendationCountRange.upperBound), not \(count)")
        }
        guard !ratings.isEmpty else {
            throw QueryError(.emptyInput, "give at least one rated movie")
        }
        for (movie, rating) in ratings where !(rating.isFinite && Self.ratingRange.contains(rating)) {
            throw QueryError(.invalidRating, "the rating of '\(movie)' must be a number from 1 to 5, not \(rating)")
        }
        let resolved = try resolveAll(ratings.map(\.movie))
        let person = FoldIn.solve(items: resolved.map(\.item), ratings: ratings.map { Float($0.rating) }, model: items)
        let best = Recommender.recommend(for: person, model: items, excluding: Set(resolved.map(\.item)), count: count)
        return best.map { Recommendation(movieID: model.movieIDs[$0.item], title: title(ofItem: $0.item), rating: RatingMetrics.clamp($0.score)) }
    }

    /// The `count` movies most similar to `movie`, most similar first, never the movie itself.
    public func similar(to movie: MovieReference, count: Int) throws(QueryError) -> [SimilarMovie] {
        guard Self.similarCountRange.contains(count) else {
            throw QueryError(.countOutOfRange, "the number of similar movies must be from \(Self.similarCountRange.lowerBound) to \(Self.similarCountRange.upperBound), not \(count)")
        }
        let target = try resolveAll([movie])[0]
        let neighbours = model.neighbours(ofItem: target.item)
        var result: [SimilarMovie] = []
        for slot in 0..<neighbours.items.count where result.count < count {
            let item = Int(neighbours.items[slot])
            guard item >= 0, item != target.item else { continue }
            result.append(SimilarMovie(movieID: model.movieIDs[item], title: title(ofItem: item), similarity: neighbours.similarities[slot]))
        }
        if result.isEmpty {
            throw QueryError(.noSimilarityData, "'\(target.title)' has too few ratings in the training data to have similar movies")
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
            rating += VectorKernels.dot(model.userFactors.baseAddress! + user * stride, model.itemFactors.baseAddress! + item * stride,
                                        length: stride)
        }
        return RatingPrediction(rating: RatingMetrics.clamp(rating), isFallback: user == nil || item == nil, unclampedRating: rating)
    }

    private func resolved(_ item: Int, match: ResolvedMovie.Match) -> ResolvedMovie {
        ResolvedMovie(item: item, movieID: model.movieIDs[item], title: title(ofItem: item), match: match)
    }

    /// Resolves every reference, or throws one error listing all the unknown ones.
    private func resolveAll(_ references: [MovieReference]) throws(QueryError) -> [ResolvedMovie] {
        var found: [ResolvedMovie] = []
        var unknown: [UnknownMovie] = []
        for reference in references {
            switch resolve(reference) {
            case .success(let movie): found.append(movie)
            case .failure(let missing): unknown.append(missing)
            }
        }
        guard unknown.isEmpty else {
            let names = unknown.map { "'\($0.query)'" }.joined(separator: ", ")
            throw QueryError(.unknownMovie, "unknown movie\(unknown.count == 1 ? "" : "s"): \(names)", unknownMovies: unknown)
        }
        return found
    }
}
