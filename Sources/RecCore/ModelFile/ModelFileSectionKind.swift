/// What a section of a model file holds, stored as the `kind` of its section-table entry.
///
/// The raw values are part of the file format and never change meaning. A reader skips
/// kinds it does not know, so a later writer can add optional sections without a new
/// format version.
public enum ModelFileSectionKind: UInt32, CaseIterable, Sendable {
    /// `Int32` per item: the movie ids, strictly ascending.
    case movieIDs = 1
    /// `Float32` per item: the item biases.
    case itemBiases = 2
    /// `Int32` per item: the number of training ratings of each item.
    case itemRatingCounts = 3
    /// `Float32`, `itemCount × factorStride`: the item factors, rows padded with zeros.
    case itemFactors = 4
    /// `Float32`, `itemCount × factorStride`: SVD++'s implicit factors; optional.
    case itemImplicitFactors = 5
    /// `UInt32`, `itemCount + 1`: ascending offsets of each title in `titleBytes`.
    case titleOffsets = 6
    /// `UInt8`: the concatenated UTF-8 titles.
    case titleBytes = 7
    /// 16-byte `TitleKeyEntry` records of the title-match index, sorted by key.
    case titleKeyEntries = 8
    /// `UInt8`: the concatenated UTF-8 keys of the title-match index.
    case titleKeyBytes = 9
    /// `Int32`, `itemCount × neighboursPerItem`: neighbour item indices, `-1` for an empty slot.
    case neighbourItems = 10
    /// `Float32`, `itemCount × neighboursPerItem`: the similarity of each neighbour slot.
    case neighbourSimilarities = 11
    /// `Int32` per user: the user ids, strictly ascending.
    case userIDs = 12
    /// `Float32` per user: the user biases.
    case userBiases = 13
    /// `Float32`, `userCount × factorStride`: the user factors, rows padded with zeros.
    case userFactors = 14
    /// `UInt8`: the training metadata as UTF-8 JSON with sorted keys.
    case metadataJSON = 15
    /// `UInt32`: every distinct character trigram of the title keys, strictly ascending.
    case titleTrigrams = 16
    /// `UInt32`, `trigramCount + 1`: ascending offsets into `titleTrigramPostings`, from 0 to its length.
    case titleTrigramPostingStarts = 17
    /// `UInt32`: positions in `titleKeyEntries` of the keys containing each trigram.
    case titleTrigramPostings = 18
    /// `Float32`, `factorCount`: a Bayesian model's fold-in penalty of each factor; optional.
    case foldInFactorPenalties = 19
    /// `UInt32`, `userCount + 1`: ascending offsets into `userRatedItems`, from 0 to its length;
    /// the ranking model's, optional like the rest of kinds 20 to 25.
    case userRatedItemStarts = 20
    /// `Int32`: each training user's distinct rated items, strictly ascending per user.
    case userRatedItems = 21
    /// `Int32`, `userCount × L`: each training user's ranked list, best first, `-1` after its end.
    case userRankedItems = 22
    /// `Int32`, `itemCount × T`: the new-person watch weights' target items, `-1` for an empty slot.
    case watchWeightItems = 23
    /// `Float32`, `itemCount × T`: the new-person watch weights, descending within a movie.
    case watchWeights = 24
    /// `Float32`, 12: the known-user blend and the three new-person blends (`RankingBlends.sectionValues`).
    case rankingBlends = 25
    /// `UInt32`, `itemCount + 1`: ascending offsets of each movie's genres in `genreBytes`, from
    /// 0 to its length; optional, together with `genreBytes` (a file has both or neither).
    case genreOffsets = 26
    /// `UInt8`: each movie's genres as UTF-8, separated by `|` (`Action|Adventure|Sci-Fi`).
    case genreBytes = 27
    /// `Int32`, `(t − 1) × itemCount × T`: the target items of the new-person watch-weight
    /// tables after the first (which is kind 23), back to back; optional, together with kinds
    /// 29 and 30, in a file with the ranking model.
    case moreWatchWeightItems = 28
    /// `Float32`, `(t − 1) × itemCount × T`: the weights of those tables.
    case moreWatchWeights = 29
    /// `UInt32`, 3: the table each new-person group uses, 0 for the first (kinds 23 and 24).
    case newPersonWatchTables = 30

    /// The size in bytes of one element of this kind of section.
    public var elementSize: Int {
        switch self {
        case .titleBytes, .titleKeyBytes, .metadataJSON, .genreBytes: 1
        case .titleKeyEntries: 16
        default: 4
        }
    }

    /// Whether a version-1 file must have this section.
    public var isRequired: Bool { rawValue < 19 && self != .itemImplicitFactors }

    /// The sections of the ranking model: a file has all of them or none.
    public static let rankingModel: [ModelFileSectionKind] = [
        .userRatedItemStarts, .userRatedItems, .userRankedItems, .watchWeightItems, .watchWeights, .rankingBlends,
    ]

    /// The sections of the new-person watch-weight tables after the first: a file with the
    /// ranking model has all or none of them (with none, every group uses the first table).
    public static let moreWatchTables: [ModelFileSectionKind] = [.moreWatchWeightItems, .moreWatchWeights, .newPersonWatchTables]

    /// The sections of the movies' genres: a file has both or neither (files written before
    /// genres were stored have neither).
    public static let genres: [ModelFileSectionKind] = [.genreOffsets, .genreBytes]
}
