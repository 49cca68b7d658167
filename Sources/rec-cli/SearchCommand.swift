import ArgumentParser
import RecCore

/// `rec-cli search "star wa" --limit 5`: the catalogue movies that match a partial or misspelt
/// title, ranked as `GET /api/movies` ranks them.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the catalogue for a partial or misspelt title, as GET /api/movies does.",
        discussion: """
            Every word counts, the last one may be unfinished and small typos are forgiven; equally good \
            matches come in order of their number of ratings (docs/title-matching.md, "Movie search"). \
            --format json prints the body of GET /api/movies?q=QUERY&limit=N.
            """
    )

    @Argument(help: "The text to search for, for example \"star wa\" (at most 200 characters).")
    var query: String

    @Option(help: "How many movies to list (1 to 50).")
    var limit: Int = RecommendationEngine.defaultMovieSearchLimit

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        do throws(APIError) {
            _ = try MovieSearchRequest.checkedText(query)
        } catch {
            throw ValidationError(error.message)
        }
        let range = RecommendationEngine.movieSearchLimitRange
        guard range.contains(limit) else { throw ValidationError("--limit must be from \(range.lowerBound) to \(range.upperBound)") }
    }

    func run() throws {
        let engine = try CLIEnvironment.model().currentEngine()
        let text = try MovieSearchRequest.checkedText(query)
        let items = try engine.searchedItems(text, limit: limit)
        CLIEnvironment.logger.info("searched movies", metadata: ["query": "\(text)", "results": "\(items.count)"])
        switch format {
        case .json:
            print(String(decoding: APIResponseEncoding.movieSearch(query: text, items: items, engine: engine), as: UTF8.self))
        case .text:
            guard !items.isEmpty else {
                print("No movie matches '\(text)'.")
                return
            }
            for (rank, item) in items.enumerated() {
                let movie = engine.movieMatch(ofItem: item)
                let genres = movie.genres.isEmpty ? "" : "  \(movie.genres.joined(separator: ", "))"
                print("\(String(rank + 1).leftPadded(to: 3)). \(movie.title)  [\(movie.movieID)]\(genres)  (\(movie.ratings) ratings)")
            }
        }
    }
}
