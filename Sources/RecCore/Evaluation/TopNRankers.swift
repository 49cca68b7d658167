import RecAPI
import RecModels

/// A method a top-N protocol judges: given a person's case, the movies it would list, best first.
protocol TopNRanker: Sendable {
    /// The method's name in reports.
    var name: String { get }
    /// The best `count` items for `topNCase`, never one of its given items.
    func rank(_ topNCase: TopNCase, count: Int) -> [Int]
}

/// RecServe itself, through the same engine calls as the API: `/api/predict` for a new person,
/// `/api/recommend` for a known user.
struct EngineRanker: TopNRanker {
    let engine: RecommendationEngine
    let kind: TopNProtocol
    let ranking: RecommendationRanking

    var name: String { ranking == .relevance ? "RecServe" : "RecServe, rating order" }

    func rank(_ topNCase: TopNCase, count: Int) -> [Int] {
        let ranked: [ScoredItem]?
        switch kind {
        case .newPerson:
            let ratings = zip(topNCase.givenItems, topNCase.givenRatings).map { item, rating in
                (movie: MovieReference.id(engine.model.movieIDs[Int(item)]), rating: Double(rating))
            }
            ranked = try? engine.rankedItems(ratings: ratings, count: count, ranking: ranking)
        case .knownUser:
            ranked = try? engine.rankedItems(userID: engine.model.userIDs[topNCase.user], count: count, ranking: ranking)
        }
        return ranked?.map(\.item) ?? []
    }
}

/// The most-popular list: movies by their number of training ratings.
struct PopularityRanker: TopNRanker {
    let order: [Int]
    let itemRatingCounts: [Int32]

    var name: String { "most popular" }

    func rank(_ topNCase: TopNCase, count: Int) -> [Int] {
        let given = Set(topNCase.givenItems.map { Int($0) })
        var ranked: [Int] = []
        for item in order where ranked.count < count && itemRatingCounts[item] > 0 && !given.contains(item) { ranked.append(item) }
        return ranked
    }
}

/// A linear item-to-item method: a movie scores the sum of its weights from the person's input
/// movies in `weights`. Item-kNN uses the cosine similarity of who rated what and only the
/// movies the person liked (rated 4 or more; all of them when none was); EASE uses its
/// learned weights and every given movie.
struct ItemToItemRanker: TopNRanker {
    let name: String
    let weights: SquareMatrix
    let itemRatingCounts: [Int32]
    let usesLikedMoviesOnly: Bool

    func rank(_ topNCase: TopNCase, count: Int) -> [Int] {
        var inputs = topNCase.givenItems
        if usesLikedMoviesOnly {
            let liked = zip(topNCase.givenItems, topNCase.givenRatings).filter { $0.1 >= TopNProtocol.relevantRating }.map(\.0)
            if !liked.isEmpty { inputs = liked }
        }
        var scores = [Float](repeating: 0, count: weights.stride)
        weights.values.withUnsafeBufferPointer { matrix in
            scores.withUnsafeMutableBufferPointer { scores in
                for item in inputs {
                    VectorKernels.addScaled(
                        matrix.baseAddress! + Int(item) * weights.stride, scale: 1, to: scores.baseAddress!, length: weights.stride)
                }
            }
        }
        let given = Set(topNCase.givenItems.map { Int($0) })
        return TopItems.select(count: count, from: weights.size) { item in
            itemRatingCounts[item] > 0 && !given.contains(item) ? scores[item] : nil
        }.map(\.item)
    }
}

/// The cosine similarity of who rated what, `G_ij / √(G_ii G_jj)`, with a zero diagonal.
enum ItemCosineSimilarity {
    static func matrix(cooccurrence: SquareMatrix) -> SquareMatrix {
        var similarity = cooccurrence
        let norms = cooccurrence.diagonal.map { $0 > 0 ? 1 / $0.squareRoot() : 0 }
        for row in 0..<similarity.size {
            for column in 0..<similarity.size {
                similarity.values[row * similarity.stride + column] *= norms[row] * norms[column]
            }
            similarity.values[row * similarity.stride + row] = 0
        }
        return similarity
    }
}
