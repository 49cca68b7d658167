import Logging
import RecModels

/// The training ratings in dense form, with the id indices and the movie titles the model
/// file needs.
struct TrainingData: Sendable {
    /// Every training rating.
    let ratings: IndexedRatings
    /// User ids ↔ dense user indices.
    let userIndex: IdentifierIndex
    /// Movie ids ↔ dense item indices: every movie of the catalogue or of the ratings.
    let itemIndex: IdentifierIndex
    /// The title of each item (`Movie <id>` when the catalogue lacks it).
    let titles: [String]
    /// The genres of each item from the catalogue (none when the catalogue lacks it).
    let genres: [[String]]

    /// Loads the ratings and the catalogue named by `options`.
    static func load(_ options: TrainingOptions, logger: Logger) throws(TrainingError) -> TrainingData {
        let table: RatingTable
        do {
            table = try RatingsFileParser.load(path: options.datasetPath)
        } catch {
            throw TrainingError(.unreadableData, error.description)
        }
        return try make(table, options: options, logger: logger)
    }

    /// Indexes `table`, read from `options.datasetPath`, with the catalogue named by `options`.
    static func make(_ table: RatingTable, options: TrainingOptions, logger: Logger) throws(TrainingError) -> TrainingData {
        var catalog = MovieCatalog(movies: [])
        if let moviesPath = options.moviesPath ?? MovieCatalog.locate(nextTo: options.datasetPath) {
            do {
                catalog = try MovieCatalog.load(path: moviesPath)
            } catch {
                throw TrainingError(.unreadableData, error.description)
            }
        } else {
            logger.warning(
                "no movie catalogue next to the ratings; titles will be 'Movie <id>'",
                metadata: ["dataset": "\(options.datasetPath)"])
        }
        let userIndex = IdentifierIndex(collecting: table.userIDs)
        let itemIndex = IdentifierIndex(collecting: table.movieIDs + catalog.movies.map(\.id))
        let ratings = IndexedRatings(table, users: userIndex, items: itemIndex)
        let movies = itemIndex.identifiers.map { catalog.movie(id: $0) }
        let titles = zip(itemIndex.identifiers, movies).map { id, movie in movie?.title ?? "Movie \(id)" }
        return TrainingData(
            ratings: ratings, userIndex: userIndex, itemIndex: itemIndex, titles: titles, genres: movies.map { $0?.genres ?? [] })
    }
}
