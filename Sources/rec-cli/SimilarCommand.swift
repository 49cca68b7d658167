import ArgumentParser
import RecCore

/// `rec-cli similar --title "Toy Story" -n 5`: the movies most similar to one movie.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the movies most similar to a movie, with their similarity."
    )

    @Option(help: "The movie's id.")
    var movieId: Int32?

    @Option(help: "The movie's title (matched as docs/title-matching.md describes).")
    var title: String?

    @Option(name: [.customShort("n"), .long], help: "How many similar movies to list (1 to 100).")
    var count: Int = 5

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard (movieId == nil) != (title == nil) else { throw ValidationError("give exactly one of --movie-id and --title") }
        guard RecommendationEngine.similarCountRange.contains(count) else { throw ValidationError("-n must be from 1 to 100") }
    }

    func run() throws {
        let engine = try CLIEnvironment.model().currentEngine()
        let reference: MovieReference = movieId.map { .id($0) } ?? .title(title!)
        let target = try engine.resolveMovie(reference)
        let similar = try engine.similarItems(to: reference, count: count)
        CLIEnvironment.logger.info("listed similar movies", metadata: ["movie": "\(target.movieID)", "count": "\(count)"])
        switch format {
        case .json:
            print(String(decoding: APIResponseEncoding.similarMovies(similar, model: engine.model), as: UTF8.self))
        case .text:
            print("Movies similar to \(target.title) [\(target.movieID)]:")
            for (rank, movie) in similar.enumerated() {
                print(
                    "\(String(rank + 1).leftPadded(to: 3)). \(String(format: "%.3f", movie.score))  \(engine.title(ofItem: movie.item))  [\(engine.model.movieIDs[movie.item])]"
                )
            }
        }
    }
}
