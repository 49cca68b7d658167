import RecSupport

/// How likely a training user is to watch each movie, the `watch` of their `RankingBlend`:
/// EASE's scores over every movie they rated, plus `likedWeight` times a second EASE's,
/// fitted on liked movies only, over the movies they liked.
///
/// The second model learns what people who liked a movie go on to like, which is closer to
/// the lists' relevance (rated 4 or more) than what they go on to watch. Added at weight 0.5
/// it raised validation recall@20 by about 1% on both halves of a split's users
/// (`docs/accuracy.md`, "Top-N lists").
struct KnownUserWatch: Sendable {
    /// The EASE weights over every rated movie.
    var rated: SquareMatrix
    /// The liked-movies EASE weights, or nil when `likedWeight` is 0.
    var liked: SquareMatrix?
    /// The weight of the liked-movies scores.
    var likedWeight: Float

    /// A watch model; `liked` is only kept when `likedWeight` is not 0.
    init(rated: SquareMatrix, liked: SquareMatrix?, likedWeight: Float) {
        precondition(liked.map { $0.size == rated.size } ?? true, "both models cover the same movies")
        self.rated = rated
        self.liked = likedWeight == 0 ? nil : liked
        self.likedWeight = liked == nil ? 0 : likedWeight
    }

    /// The floats from one row of either matrix to the next, and the length of a watch buffer.
    var stride: Int { rated.stride }

    /// Adds the user's watch scores into `watch` (at least `stride` floats): the rated
    /// model's rows of `ratedItems` and the liked model's rows of `likedItems`, scaled.
    func add(ratedItems: some Sequence<Int32>, likedItems: some Sequence<Int32>, into watch: UnsafeMutablePointer<Float>) {
        let stride = rated.stride
        rated.values.withUnsafeBufferPointer { matrix in
            for item in ratedItems {
                VectorKernels.addScaled(matrix.baseAddress! + Int(item) * stride, scale: 1, to: watch, length: stride)
            }
        }
        guard let liked else { return }
        liked.values.withUnsafeBufferPointer { matrix in
            for item in likedItems {
                VectorKernels.addScaled(matrix.baseAddress! + Int(item) * stride, scale: likedWeight, to: watch, length: stride)
            }
        }
    }
}
