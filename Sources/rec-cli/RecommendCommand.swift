import ArgumentParser
import RecCore

/// `rec-cli recommend --rate "Toy Story=5" ...`: the homework's `predict` for a new person, or
/// `rec-cli recommend --user ID` for a training user.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend movies to a new person from a few of their ratings (folded in, no retraining), or to a training user.",
        discussion: """
            Give ratings with --rate "Title=5" (repeatable; a movie id works too) or all at once with \
            --json '[["Toy Story", "Heat (1995)"], [5, 4]]'. Titles are matched as docs/title-matching.md describes. \
            --user ID recommends to a user of the training data instead, never a movie they rated there.

            The list shows the movies the ranking model picks (--rank relevance, the default: what the person is \
            likely to watch and like) or those with the highest estimated rating (--rank rating), in descending \
            order of the estimated rating either way.
            """
    )

    @Option(help: ArgumentHelp("Recommend to this user of the training data.", valueName: "id"))
    var user: Int32?

    @Option(
        name: .customLong("rate"),
        help: ArgumentHelp("A rated movie, \"Title=rating\" or \"id=rating\" (repeatable).", valueName: "movie=rating"))
    var rates: [String] = []

    @Option(help: ArgumentHelp("All ratings as JSON: [[movies], [ratings]].", valueName: "json"))
    var json: String?

    @Option(help: "How many movies to recommend (1 to 1000).")
    var top: Int = 20

    @Option(help: "Which movies the list picks: relevance or rating.")
    var rank: RecommendationRanking = .defaultRanking

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if user != nil {
            guard rates.isEmpty && json == nil else { throw ValidationError("use --user or ratings (--rate, --json), not both") }
        } else {
            guard !rates.isEmpty || json != nil else {
                throw ValidationError("give ratings with --rate \"Title=5\" or --json '[[...],[...]]', or a training user with --user ID")
            }
        }
        guard rates.isEmpty || json == nil else { throw ValidationError("use either --rate or --json, not both") }
        guard RecommendationEngine.recommendationCountRange.contains(top) else { throw ValidationError("--top must be from 1 to 1000") }
    }

    func parsedRatings() throws -> [(movie: MovieReference, rating: Double)] {
        if let json {
            do {
                return try RatedMoviesInput.parse(try JSONParser.parse(json))
            } catch let error as JSONParseError {
                throw ValidationError("--json: \(error)")
            } catch let error as QueryError {
                throw ValidationError("--json: \(error.message)")
            }
        }
        return try rates.map { pair in
            guard let separator = pair.lastIndex(of: "="), let rating = Double(pair[pair.index(after: separator)...]) else {
                throw ValidationError("--rate expects \"Title=rating\", not '\(pair)'")
            }
            let name = String(pair[..<separator]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw ValidationError("--rate expects a movie before '=' in '\(pair)'") }
            if let id = Int32(name) { return (.id(id), rating) }
            return (.title(name), rating)
        }
    }

    func run() throws {
        let engine = try CLIEnvironment.model().currentEngine()
        let recommended: [ScoredItem]
        if let user {
            recommended = try engine.recommendedItems(userID: user, count: top, ranking: rank)
            CLIEnvironment.logger.info(
                "recommended",
                metadata: [
                    "user": "\(user)", "top": "\(top)", "rank": "\(rank)",
                    "generation": "\(engine.model.generation)",
                ])
        } else {
            let ratings: [(movie: MovieReference, rating: Double)]
            do {
                ratings = try parsedRatings()
            } catch let error as ValidationError {
                throw CLIUsageError(message: error.message)
            }
            recommended = try engine.recommendedItems(ratings: ratings, count: top, ranking: rank)
            CLIEnvironment.logger.info(
                "recommended",
                metadata: [
                    "inputs": "\(ratings.count)", "top": "\(top)", "rank": "\(rank)",
                    "generation": "\(engine.model.generation)",
                ])
        }
        switch format {
        case .json:
            print(String(decoding: APIResponseEncoding.recommendations(recommended, model: engine.model), as: UTF8.self))
        case .text:
            for (position, item) in recommended.enumerated() {
                print(
                    "\(String(position + 1).leftPadded(to: 3)). \(String(format: "%.4f", item.score))  \(engine.title(ofItem: item.item))  [\(engine.model.movieIDs[item.item])]"
                )
            }
        }
    }
}

extension RecommendationRanking: ExpressibleByArgument {}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
