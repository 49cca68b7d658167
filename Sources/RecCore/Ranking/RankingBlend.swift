#if canImport(Glibc)
import Glibc
#endif

/// How a personalised list ranks a movie: by how likely the person is to watch it, times how
/// likely they are to like it once they do.
///
/// `score = (max(watch, 0) + popularityWeight × popularity) × σ(ratingOffset + ratingSlope × rating)`
///
/// - `watch` is the who-rated-what model's score (`ItemAutoencoder`): EASE over a known
///   user's whole history, the denoising weights over a new person's few movies.
/// - `popularity` is the movie's share of the most-rated movie's ratings, a prior that matters
///   when the person gave one or two movies and fades as `watch` grows with more.
/// - `rating` is the rating model's unclamped estimate for the person, and the logistic
///   `σ` turns it into a chance of rating the movie 4 or more.
///
/// Ranking by rating alone favours obscure movies with high biases (Cremonesi et al. 2010;
/// Steck 2013); ranking by `watch` alone ignores whether the person would like what they
/// watch. The three parameters are fitted on the validation split (`RankingBlendSearch`).
public struct RankingBlend: Sendable, Equatable, Codable {
    /// The weight of the popularity prior.
    public var popularityWeight: Float
    /// The logistic's offset.
    public var ratingOffset: Float
    /// The logistic's slope per rating point.
    public var ratingSlope: Float

    /// Creates a blend.
    public init(popularityWeight: Float, ratingOffset: Float, ratingSlope: Float) {
        self.popularityWeight = popularityWeight
        self.ratingOffset = ratingOffset
        self.ratingSlope = ratingSlope
    }

    /// The part of the score before the logistic, which bounds the score from above.
    @inlinable @inline(__always)
    public func watchTerm(watch: Float, popularity: Float) -> Float {
        max(watch, 0) + popularityWeight * popularity
    }

    /// The chance-of-liking factor for the rating estimate `rating`, in (0, 1).
    @inlinable @inline(__always)
    public func likingFactor(rating: Float) -> Float {
        1 / (1 + expf(-(ratingOffset + ratingSlope * rating)))
    }

    /// The ranking score.
    @inline(__always)
    public func score(watch: Float, popularity: Float, rating: Float) -> Float {
        watchTerm(watch: watch, popularity: popularity) * likingFactor(rating: rating)
    }

    /// Whether every parameter is finite.
    public var isFinite: Bool { popularityWeight.isFinite && ratingOffset.isFinite && ratingSlope.isFinite }

    enum CodingKeys: String, CodingKey {
        case popularityWeight = "popularity_weight"
        case ratingOffset = "rating_offset"
        case ratingSlope = "rating_slope"
    }
}

/// The blends a model serves: one for the training users, and three for people folded in
/// from a few ratings, by how many they gave (1–2, 3–9, 10 or more), fitted at 1, 5 and 20
/// given ratings. They are fitted separately because the watch scores differ in scale and the
/// popularity prior matters less the more a person gives.
public struct RankingBlends: Sendable, Equatable, Codable {
    /// For `/api/recommend`: a training user.
    public var knownUser: RankingBlend
    /// For `/api/predict`: a new person, one blend per group of `givenGroupLimits`.
    public var newPerson: [RankingBlend]

    /// The largest number of given ratings of each new-person group but the last.
    public static let givenGroupLimits = [2, 9]
    /// The number of new-person groups.
    public static let newPersonGroupCount = givenGroupLimits.count + 1

    /// Creates the blends; `newPerson` has one blend per group.
    public init(knownUser: RankingBlend, newPerson: [RankingBlend]) {
        precondition(newPerson.count == Self.newPersonGroupCount, "one new-person blend per group")
        self.knownUser = knownUser
        self.newPerson = newPerson
    }

    /// The group of a new person who gave `givenCount` ratings.
    public static func newPersonGroup(givenCount: Int) -> Int {
        givenGroupLimits.firstIndex { givenCount <= $0 } ?? givenGroupLimits.count
    }

    /// The blend for a new person who gave `givenCount` ratings.
    public func newPersonBlend(givenCount: Int) -> RankingBlend {
        newPerson[Self.newPersonGroup(givenCount: givenCount)]
    }

    /// Every blend's three floats, the known user's first: the model file's `rankingBlends` section.
    public var sectionValues: [Float] {
        ([knownUser] + newPerson).flatMap { [$0.popularityWeight, $0.ratingOffset, $0.ratingSlope] }
    }

    /// The blends stored in a `rankingBlends` section of `RankingBlends.sectionCount` floats.
    public init(sectionValues values: UnsafeBufferPointer<Float>) {
        precondition(values.count == Self.sectionCount, "the blends section has \(Self.sectionCount) floats")
        let blends = (0..<(1 + Self.newPersonGroupCount)).map { index in
            RankingBlend(popularityWeight: values[3 * index], ratingOffset: values[3 * index + 1], ratingSlope: values[3 * index + 2])
        }
        self.init(knownUser: blends[0], newPerson: Array(blends[1...]))
    }

    /// The floats in the model file's `rankingBlends` section.
    public static let sectionCount = 3 * (1 + newPersonGroupCount)

    /// Whether every parameter is finite.
    public var isFinite: Bool { knownUser.isFinite && newPerson.allSatisfy(\.isFinite) }

    enum CodingKeys: String, CodingKey {
        case newPerson = "new_person"
        case knownUser = "known_user"
    }
}
