@testable import RecCore

/// MovieLens-100k's u1 split, indexed once and shared by the model tests.
struct MovieLens100kFixture: Sendable {
    let training: IndexedRatings
    let test: IndexedRatings
    let users: IdentifierIndex
    let items: IdentifierIndex

    static func load() throws -> MovieLens100kFixture {
        try cached.get()
    }

    private static let cached = Result { () throws -> MovieLens100kFixture in
        let training = try RatingsFileParser.load(path: FixturePaths.movieLens100kFolder + "/u1.base")
        let test = try RatingsFileParser.load(path: FixturePaths.movieLens100kFolder + "/u1.test")
        let users = IdentifierIndex(collecting: training.userIDs)
        let items = IdentifierIndex(collecting: training.movieIDs)
        return MovieLens100kFixture(
            training: IndexedRatings(training, users: users, items: items),
            test: IndexedRatings(test, users: users, items: items), users: users, items: items)
    }
}
