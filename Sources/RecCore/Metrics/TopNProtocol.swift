import RecSupport

/// How a top-N list is judged: which people are asked for one, what they give, and which
/// movies count as hits. `docs/accuracy.md` defines both protocols.
///
/// - **New person** (`given: K`): a user of the evaluated file who rated at least three movies
///   4 or more there is folded in from `K` of their *training* ratings, chosen with the seed,
///   as if they were someone new; their list ranks every movie they did not give.
/// - **Known user**: a user of the evaluated file with at least one movie rated 4 or more
///   there; their list ranks every movie they did not rate in training.
///
/// In both, a movie is relevant when the user rated it 4 or more in the evaluated file, and
/// the list's first 20 are scored with recall@20 and NDCG@20 (`TopNAccumulator`).
public enum TopNProtocol: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A person folded in from `given` training ratings.
    case newPerson(given: Int)
    /// A training user with their whole training history.
    case knownUser

    /// A rating at least this high in the evaluated file makes a movie relevant.
    public static let relevantRating: Float = 4
    /// The length of the judged list.
    public static let listLength = 20

    /// How many relevant movies a user needs in the evaluated file to be asked.
    public var minimumRelevantCount: Int {
        switch self {
        case .newPerson: return 3
        case .knownUser: return 1
        }
    }

    /// For example `new person, 5 given ratings` or `known user`.
    public var description: String {
        switch self {
        case .newPerson(let given): return "new person, \(given) given rating\(given == 1 ? "" : "s")"
        case .knownUser: return "known user"
        }
    }
}

/// One person a protocol asks for a list: what they give and what would be a hit.
public struct TopNCase: Sendable, Equatable {
    /// The user's dense index in the training data.
    public var user: Int
    /// The movies they give, as dense item indices: `K` training movies for a new person,
    /// every training movie for a known user. Lists must leave them out.
    public var givenItems: [Int32]
    /// The ratings of `givenItems`, in the same order.
    public var givenRatings: [Float]
    /// The movies they rated 4 or more in the evaluated file, ascending, none of them given.
    public var relevantItems: [Int32]
}

/// The people a protocol asks, and how many it had to pass over.
public struct TopNCaseSet: Sendable {
    /// The protocol.
    public var kind: TopNProtocol
    /// One case per asked user, in ascending user order.
    public var cases: [TopNCase]
    /// Users with enough relevant movies who were skipped because they have fewer than `K`
    /// training ratings (new person only).
    public var skippedUsers: Int

    /// Builds the cases of `kind` for `evaluation`, the evaluated file's rows, with `training`
    /// the ratings the model learned from; both use the same dense indices. `seed` chooses the
    /// given ratings: the same seed always gives the same choice.
    public init(_ kind: TopNProtocol, training: IndexedRatings, evaluation: IndexedRatings, seed: UInt64) {
        precondition(
            training.userCount == evaluation.userCount && training.itemCount == evaluation.itemCount,
            "the training and evaluated ratings must share their indices")
        self.kind = kind
        cases = []
        skippedUsers = 0
        for user in 0..<evaluation.userCount {
            let rows = evaluation.userOffsets[user]..<evaluation.userOffsets[user + 1]
            var relevant = Set<Int32>()
            for row in rows where evaluation.ratingsByUser[row] >= TopNProtocol.relevantRating {
                relevant.insert(evaluation.itemsByUser[row])
            }
            guard relevant.count >= kind.minimumRelevantCount else { continue }
            let history = Self.distinctHistory(of: user, in: training)
            var given = history
            if case .newPerson(let count) = kind {
                guard history.items.count >= count else {
                    skippedUsers += 1
                    continue
                }
                given = Self.choose(count, from: history, user: user, seed: seed)
            }
            let givenSet = Set(given.items)
            let hits = relevant.subtracting(givenSet).sorted()
            guard hits.count >= kind.minimumRelevantCount else { continue }
            cases.append(TopNCase(user: user, givenItems: given.items, givenRatings: given.ratings, relevantItems: hits))
        }
    }

    /// A user's training movies in file order, each once with its last rating.
    private static func distinctHistory(of user: Int, in training: IndexedRatings) -> (items: [Int32], ratings: [Float]) {
        var position: [Int32: Int] = [:]
        var items: [Int32] = [], ratings: [Float] = []
        for row in training.userOffsets[user]..<training.userOffsets[user + 1] {
            let item = training.itemsByUser[row], rating = training.ratingsByUser[row]
            if let earlier = position[item] {
                ratings[earlier] = rating
            } else {
                position[item] = items.count
                items.append(item)
                ratings.append(rating)
            }
        }
        return (items, ratings)
    }

    /// `count` of `history`'s ratings chosen uniformly by a partial Fisher–Yates shuffle with
    /// the user's own random stream, so the choice does not depend on the other users.
    private static func choose(
        _ count: Int, from history: (items: [Int32], ratings: [Float]), user: Int,
        seed: UInt64
    ) -> (items: [Int32], ratings: [Float]) {
        var generator = SeededRandomNumberGenerator.stream(UInt64(user) &* 1024 &+ UInt64(count), of: seed)
        var order = Array(history.items.indices)
        for position in 0..<count {
            order.swapAt(position, position + generator.nextIndex(below: order.count - position))
        }
        let chosen = order[..<count]
        return (chosen.map { history.items[$0] }, chosen.map { history.ratings[$0] })
    }
}
