import ArgumentParser
import Foundation
import Logging
import RecCore
import Synchronization

/// `rec-cli bench`: measures parsing, training, accuracy, the model file and per-request
/// recommendation cost, and prints a Markdown table.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark parsing, training per model, evaluation RMSE, model file size/open time and fold-in latency.",
        discussion: "Figures go to standard output as Markdown; nothing is published to data/model/."
    )

    @Option(help: "The training ratings file (not needed with --current-model).")
    var dataset: String?

    @Flag(
        help:
            "Measure only the model file and per-request figures (recommend, similar, API router) on the current model in data/model/, without parsing or training."
    )
    var currentModel = false

    @Option(help: "A ratings file to report evaluation RMSE on (never used for training or selection).")
    var evaluationDataset: String?

    @Option(help: "Comma-separated models to train.")
    var models: String = ModelAlgorithm.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Threads for training.")
    var threads: Int = TrainingOptions.availableCores

    @Option(help: "Repetitions of the timed micro-measurements (parse, open, recommend).")
    var repetitions: Int = 5

    @Option(help: "Timed calls per API router request (raise it to profile the router).")
    var routerCalls: Int = 2000

    func validate() throws {
        guard dataset != nil || currentModel else {
            throw ValidationError("give --dataset=PATH, or --current-model to measure the current model")
        }
        for name in models.split(separator: ",") where ModelAlgorithm(rawValue: String(name)) == nil {
            throw ValidationError("unknown model '\(name)'")
        }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
        guard routerCalls >= 1 else { throw ValidationError("--router-calls must be at least 1") }
    }

    func run() throws {
        print("# RecServe core benchmark")
        print("")
        guard let dataset, !currentModel else {
            let store = ModelStore(dataDirectory: CLIEnvironment.dataDirectory)
            let generation = try store.openCurrent().generation
            print("Machine: \(TrainingOptions.availableCores) cores; current model: \(store.path(forGeneration: generation))")
            print("")
            try printModelFigures(store: store, generation: generation, label: "current")
            return
        }
        let logger = Logger(label: "rec-cli.bench", factory: { _ in SwiftLogNoOpLogHandler() })
        print("Machine: \(TrainingOptions.availableCores) cores; threads used for training: \(threads)")
        print("Dataset: \(dataset)\(evaluationDataset.map { "; evaluation: \($0)" } ?? "")")
        print("")

        let parseSeconds = try Self.median(repetitions) { _ = try RatingsFileParser.load(path: dataset) }
        let rowCount = try RatingsFileParser.load(path: dataset).count
        print("| measurement | value |")
        print("|---|---|")
        print("| parse \(rowCount) rows (median of \(repetitions)) | \(Self.milliseconds(parseSeconds)) |")
        print("")

        let evaluationTable = try evaluationDataset.map { try RatingsFileParser.load(path: $0) }
        print("| model | validation RMSE | evaluation RMSE | final-fit epochs | s/epoch (final fit, 1 thread) | total training s |")
        print("|---|---|---|---|---|---|")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rec-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let store = ModelStore(directory: scratch)
        var lastGeneration: Int?
        for name in models.split(separator: ",") {
            let algorithm = ModelAlgorithm(rawValue: String(name))!
            let finalEpochs = Mutex<[Double]>([])
            let options = TrainingOptions(datasetPath: dataset, algorithm: algorithm, threadCount: threads)
            let result = try TrainingPipeline.train(options, logger: logger) { progress in
                if progress.stage.hasSuffix("final fit") { finalEpochs.withLock { $0.append(progress.elapsedSeconds) } }
            }
            let epochs = finalEpochs.withLock { $0 }
            let generation = try store.publish(result.artifact).generation
            lastGeneration = generation
            var evaluationRMSE = "–"
            if let evaluationTable {
                let engine = RecommendationEngine(model: try store.open(generation: generation))
                let metrics = ModelEvaluator.evaluate(engine, on: evaluationTable, dataset: evaluationDataset!, evaluatedAt: "")
                evaluationRMSE = CLIFormat.rmse(metrics.rmse)
            }
            let perEpoch = epochs.isEmpty ? "–" : String(format: "%.3f", epochs.last! / Double(epochs.count))
            print(
                "| \(algorithm.rawValue) | \(result.validationRMSE.map(CLIFormat.rmse) ?? "–") | \(evaluationRMSE) | \(epochs.isEmpty ? "–" : String(epochs.count)) | \(perEpoch) | \(String(format: "%.1f", result.timings.totalSeconds)) |"
            )
        }
        print("")

        guard let generation = lastGeneration else { return }
        try printModelFigures(store: store, generation: generation, label: String(models.split(separator: ",").last!))
    }

    /// The model file table: size, open and checksum time, and the per-request costs of the
    /// engine and of the API router on generation `generation` of `store`.
    func printModelFigures(store: ModelStore, generation: Int, label: String) throws {
        let model = try store.open(generation: generation)
        let engine = RecommendationEngine(model: model)
        let rows =
            try fileRows(store: store, generation: generation, model: model) + requestRows(model: model, engine: engine)
            + routerRows(engine: engine)
        print("| model file (\(label)) | value |")
        print("|---|---|")
        for row in rows { print("| \(row.name) | \(row.value) |") }
    }

    /// One row of the model file table.
    typealias FigureRow = (name: String, value: String)

    /// The file's size, open and checksum times, and the engine's set-up time.
    func fileRows(store: ModelStore, generation: Int, model: LoadedModel) throws -> [FigureRow] {
        let path = store.path(forGeneration: generation)
        let openSeconds = try Self.median(max(repetitions, 20)) { _ = try store.open(generation: generation) }
        let checksumSeconds = try Self.median(repetitions) { try model.verifyChecksum() }
        let engineSeconds = try Self.median(max(repetitions, 20)) { _ = RecommendationEngine(model: model) }
        return [
            ("size", "\(String(format: "%.1f", Double(model.fileSize) / 1_048_576)) MiB (\(path.split(separator: "/").last!))"),
            ("open (mmap + validate header and sections, median)", Self.milliseconds(openSeconds)),
            ("full checksum verification (median)", Self.milliseconds(checksumSeconds)),
            ("engine set-up: 16-bit item factors and the title-word index, once per generation (median)", Self.milliseconds(engineSeconds)),
        ]
    }

    /// The engine's per-request costs: fold-in, scoring, recommending and similar movies, for
    /// inputs among the 50 most rated movies.
    func requestRows(model: LoadedModel, engine: RecommendationEngine) throws -> [FigureRow] {
        let runs = max(repetitions, 200)
        let popular = (0..<model.itemCount).sorted { model.itemRatingCounts[$0] > model.itemRatingCounts[$1] }.prefix(50)
        let inputs = Array(popular.prefix(5)).map { (movie: MovieReference.id(model.movieIDs[$0]), rating: 4.0) }
        let foldInItems = Array(popular.prefix(5)), foldInRatings: [Float] = [5, 4, 3, 4, 5]
        let manyItems = Array(popular.prefix(50)), manyRatings = (0..<50).map { Float(1 + $0 % 5) }
        let person = FoldIn.solve(items: foldInItems, ratings: foldInRatings, model: engine.items)
        let titleInputs = Array(popular.prefix(5)).map { (movie: MovieReference.title(model.titles[$0]), rating: 4.0) }
        var rows: [FigureRow] = [
            (
                "fold-in alone: 5 ratings (median)",
                Self.microseconds(
                    try Self.median(runs) { _ = FoldIn.solve(items: foldInItems, ratings: foldInRatings, model: engine.items) })
            ),
            (
                "fold-in alone: 50 ratings (median)",
                Self.microseconds(try Self.median(runs) { _ = FoldIn.solve(items: manyItems, ratings: manyRatings, model: engine.items) })
            ),
            (
                "score all \(model.itemCount) movies for one person, k = \(model.factorCount) (median)",
                Self.microseconds(try Self.median(runs) { _ = Recommender.scores(for: person, model: engine.items) })
            ),
            (
                "recommend: fold-in 5 ids, rank by relevance, top 20 (median)",
                Self.microseconds(try Self.median(runs) { _ = try engine.recommend(ratings: inputs, count: 20) })
            ),
            (
                "the same in rating order (`rank=rating`; median)",
                Self.microseconds(try Self.median(runs) { _ = try engine.recommend(ratings: inputs, count: 20, ranking: .rating) })
            ),
        ]
        if model.ranking != nil && model.userCount > 0 {
            let user = model.userIDs[model.userCount / 2]
            rows.append(
                (
                    "recommend to a known user: stored list, top 20 (median)",
                    Self.microseconds(try Self.median(runs) { _ = try engine.recommend(userID: user, count: 20) })
                ))
        }
        rows.append(
            (
                "recommend with 5 exact titles (median)",
                Self.microseconds(try Self.median(runs) { _ = try engine.recommend(ratings: titleInputs, count: 20) })
            ))
        rows.append(
            (
                "similar: 10 neighbours by id (median)",
                Self.microseconds(try Self.median(runs) { _ = try engine.similar(to: .id(model.movieIDs[popular.first!]), count: 10) })
            ))
        return rows
    }

    /// The API router's cost per request, without sockets.
    func routerRows(engine: RecommendationEngine) throws -> [FigureRow] {
        let router = APIRouter(
            service: ServiceDescription(build: BuildInfo.fallback(executablePath: nil), startedAt: "", workers: 1, processID: getpid()),
            credentials: ServiceCredentials.builtIn, dataDirectory: CLIEnvironment.dataDirectory, adminToken: nil)
        return try APIRouterBenchmark.measure(router: router, engine: engine, calls: routerCalls).map { figure in
            (
                "router: \(figure.name), median / mean of \(figure.calls)",
                "\(Self.microseconds(figure.medianSeconds)) / \(Self.microseconds(figure.meanSeconds))"
            )
        }
    }

    /// The median wall-clock seconds of `count` runs of `body`.
    static func median(_ count: Int, _ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<count {
            let start = clock.now
            try body()
            let elapsed = clock.now - start
            samples.append(elapsed.inSeconds)
        }
        return samples.sorted()[samples.count / 2]
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
    static func microseconds(_ seconds: Double) -> String { String(format: "%.1f µs", seconds * 1_000_000) }
}
