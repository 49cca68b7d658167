import Foundation

/// Paths of the files tests read, all committed in the repository.
enum FixturePaths {
    /// The repository's root folder.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// MovieLens-100k's u1 split and catalogue, small enough for debug-build training.
    static let movieLens100kFolder = repositoryRoot + "/Tests/Fixtures/ml-100k-u1"
    /// The embedded MovieLens-1M training file.
    static let embeddedTrainingFile = repositoryRoot + "/dataset/ratings_train.dat"
    /// The embedded MovieLens-1M catalogue (Latin-1).
    static let embeddedMoviesFile = repositoryRoot + "/dataset/movies.dat"
}
