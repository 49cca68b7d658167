import Foundation
import Testing

/// `rec-cli` end to end on MovieLens-100k: train → evaluate → similar → recommend → predict →
/// info → warmup, checking what is printed, the exit codes and the shared log.
struct CLIEndToEndTests {
    /// Small, fast training settings for the fixture.
    static let quickTraining = ["--model", "mf", "--no-search", "--hyperparameter", "factors=16", "--hyperparameter", "epochs=15"]

    private func trainedRunner() throws -> CLIRunner {
        let runner = CLIRunner()
        let outcome = try runner.run(["train", "--dataset=\(CLIRunner.movieLens100kFolder)/u1.base"] + Self.quickTraining)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return runner
    }

    @Test func trainEvaluateSimilarRecommendAndTheirLogLines() throws {
        let runner = CLIRunner()
        defer { runner.cleanUp() }
        let train = try runner.run(["train", "--dataset", "\(CLIRunner.movieLens100kFolder)/u1.base"] + Self.quickTraining)
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardOutput.contains("Trained mf on"))
        #expect(train.standardOutput.contains("80000 ratings, 943 users, 1682 movies"))
        #expect(train.standardOutput.contains("Validation RMSE: 0."))
        #expect(train.standardOutput.contains("Published generation 1: \(runner.dataDirectory)/model/model-1.recmodel"))

        let evaluate = try runner.run("evaluate", "--dataset=\(CLIRunner.movieLens100kFolder)/u1.test")
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let rmseLine = try #require(evaluate.standardOutput.split(separator: "\n").first)
        #expect(rmseLine.hasPrefix("RMSE: "))
        let rmse = try #require(Double(rmseLine.dropFirst("RMSE: ".count)))
        #expect(rmse > 0.85 && rmse < 1.0)
        #expect(evaluate.standardOutput.contains("Rows: 20000"))
        #expect(evaluate.standardOutput.contains("Precision@10: 0."))
        #expect(evaluate.standardOutput.contains("NDCG@10: 0."))
        #expect(FileManager.default.fileExists(atPath: runner.dataDirectory + "/model/evaluation.json"))

        let similar = try runner.run("similar", "--title", "Star Wars", "-n", "5")
        #expect(similar.status == 0, "\(similar.standardError)")
        let similarLines = similar.standardOutput.split(separator: "\n")
        #expect(similarLines.first == "Movies similar to Star Wars (1977) [50]:")
        #expect(similarLines.count == 6)
        #expect(!similarLines.dropFirst().contains { $0.hasSuffix("[50]") })

        let recommend = try runner.run("recommend", "--rate", "Star Wars (1977)=5", "--rate", "Fargo=4", "--top", "10")
        #expect(recommend.status == 0, "\(recommend.standardError)")
        let recommendations = recommend.standardOutput.split(separator: "\n")
        #expect(recommendations.count == 10)
        let ratings = recommendations.compactMap { line in line.split(separator: " ").dropFirst().first.flatMap { Double($0) } }
        #expect(ratings.count == 10 && ratings.allSatisfy { (1...5).contains($0) } && ratings == ratings.sorted(by: >))
        #expect(!recommendations.contains { $0.hasSuffix("[50]") || $0.hasSuffix("[100]") })

        let log = runner.log()
        for expected in [
            "rec-cli: training started", "rec-cli: published model", "rec-cli: evaluated model",
            "rec-cli: listed similar movies", "rec-cli: recommended",
        ] {
            #expect(log.contains(expected), "log lacks '\(expected)'")
        }
        #expect(log.split(separator: "\n").allSatisfy { $0.contains("Z info rec-cli[") || $0.contains("Z warning rec-cli[") })
    }

    @Test func jsonInputAndOutputMatchTheAPIShape() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        let outcome = try runner.run("recommend", "--json", #"[["Toy Story", 50], [5, 4]]"#, "--top", "3", "--format", "json")
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [[Any]]
        #expect(parsed?.count == 2)
        #expect((parsed?[0] as? [String])?.count == 3)
        #expect((parsed?[1] as? [Double])?.count == 3)
        let similar = try runner.run("similar", "--movie-id", "1", "-n", "2", "--format", "json")
        let pair = try JSONSerialization.jsonObject(with: Data(similar.standardOutput.utf8)) as? [[Any]]
        #expect((pair?[0] as? [Int])?.count == 2)
    }

    @Test func searchListsTheMatchesAsTextOrAsTheAPIsJSON() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        let text = try runner.run("search", "star wa", "--limit", "3")
        #expect(text.status == 0, "\(text.standardError)")
        let lines = text.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("  1. Star Wars (1977)  [50]  Action, Adventure, Romance, Sci-Fi, War  (") == true, "\(lines)")
        let json = try runner.run("search", "godfater", "--format", "json")
        #expect(json.status == 0, "\(json.standardError)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(body["query"] as? String == "godfater")
        let movies = try #require(body["movies"] as? [[String: Any]])
        #expect(movies.prefix(2).compactMap { $0["id"] as? Int } == [127, 187], "\(movies)")
        #expect(Set(movies.first?.keys.map { $0 } ?? []) == ["id", "title", "year", "genres", "ratings"])
        #expect(try runner.run("search", "xqzzv blorf").standardOutput == "No movie matches 'xqzzv blorf'.\n")
        #expect(try runner.run("search", "   ").status == 2)
        #expect(try runner.run("search", "star", "--limit", "51").status == 2)
        #expect(try runner.run("search", String(repeating: "x", count: 201)).status == 2)
        #expect(runner.log().contains("rec-cli: searched movies"))
    }

    @Test func predictWritesOneCSVRowPerInputRow() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        let output = runner.dataDirectory + "/out/predictions.csv"
        let outcome = try runner.run("predict", "--dataset", "\(CLIRunner.movieLens100kFolder)/u1.test", "--output", output)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20_001)
        #expect(lines[0] == "user_id,movie_id,rating,prediction")
        let fields = lines[1].split(separator: ",")
        #expect(fields.count == 4 && Double(fields[3]).map { (1...5).contains($0) } == true)
    }

    @Test func infoPrintsTheModelMetadataAsJSON() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        let outcome = try runner.run("info")
        #expect(outcome.status == 0)
        let info = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(info["generation"] as? Int == 1)
        #expect(info["algorithm"] as? String == "mf")
        #expect(info["ratings"] as? Int == 80_000)
        #expect((info["hyperparameters"] as? [String: Any])?["factors"] as? Int == 16)
    }

    @Test func aCorruptModelMakesWarmupFailWithAClearMessage() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        #expect(try runner.run("warmup").status == 0)
        let path = runner.dataDirectory + "/model/model-1.recmodel"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        let outcome = try runner.run("warmup")
        #expect(outcome.status == 1)
        #expect(outcome.standardError.hasPrefix("error: \(path): "))
        #expect(runner.log().contains("command failed"))

        bytes[bytes.count / 2] ^= 0x40
        bytes[24] ^= 0x01 // the stored checksum
        try bytes.write(to: URL(fileURLWithPath: path))
        let mismatch = try runner.run("warmup")
        #expect(mismatch.status == 1)
        #expect(mismatch.standardError.contains("checksum"))

        try Data(bytes.prefix(1000)).write(to: URL(fileURLWithPath: path))
        let truncated = try runner.run("warmup")
        #expect(truncated.status == 1)
        #expect(truncated.standardError.contains("model-1.recmodel"))
    }

    @Test func usageErrorsExitWithTwoAndRuntimeErrorsWithOne() throws {
        let runner = CLIRunner()
        defer { runner.cleanUp() }
        #expect(try runner.run("train").status == 2)
        #expect(try runner.run("train", "--dataset=x", "--model", "nope").status == 2)
        #expect(try runner.run("frobnicate").status == 2)
        #expect(try runner.run("recommend").status == 2)
        let unknownSetting = try runner.run("train", "--dataset=\(CLIRunner.movieLens100kFolder)/u1.base", "--hyperparameter", "wobble=3")
        #expect(unknownSetting.status == 2)
        #expect(unknownSetting.standardError.contains("unknown hyper-parameter wobble"))

        let missing = try runner.run("train", "--dataset=/nonexistent/ratings.dat")
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("/nonexistent/ratings.dat: no such file"))
        let noModel = try runner.run("similar", "--title", "Toy Story")
        #expect(noModel.status == 1)
        #expect(noModel.standardError.contains("rec-cli train --dataset"))
        #expect(runner.log().contains("command failed"))
        let help = try runner.run("--help")
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE: rec-cli <subcommand>"))
        #expect(try runner.run("train", "--help").status == 0)
    }

    @Test func unknownTitlesExitWithOneAndSuggestAlternatives() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        let outcome = try runner.run("recommend", "--rate", "Qwxyzzy Plorf=5", "--rate", "Toy Story=4")
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("unknown movie: 'Qwxyzzy Plorf'"))
        let typo = try runner.run("recommend", "--rate", "Toy Stroy=5", "--top", "3")
        #expect(typo.status == 0, "a close typo resolves by the fuzzy match: \(typo.standardError)")
    }

    @Test func knownUsersRankingsAndTheTopNProtocols() throws {
        let runner = try trainedRunner()
        defer { runner.cleanUp() }
        let user = try runner.run("recommend", "--user", "1", "--top", "5", "--format", "json")
        #expect(user.status == 0, "\(user.standardError)")
        #expect(user.standardOutput.hasPrefix("[[\""))
        let byRating = try runner.run("recommend", "--user", "1", "--top", "5", "--rank", "rating")
        #expect(byRating.status == 0 && byRating.standardOutput.split(separator: "\n").count == 5, "\(byRating.standardError)")
        let unknown = try runner.run("recommend", "--user", "999999")
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("there is no user 999999"))
        #expect(try runner.run("recommend", "--user", "1", "--rate", "Heat=4").status == 2)
        #expect(try runner.run("recommend", "--user", "1", "--rank", "best").status == 2)

        let test = "--dataset=\(CLIRunner.movieLens100kFolder)/u1.test"
        let known = try runner.run("evaluate", test, "--protocol", "known-user")
        #expect(known.status == 0, "\(known.standardError)")
        for row in ["| RecServe | 0.", "| RecServe, rating order | 0.", "| most popular | 0.", "| item-kNN | 0.", "| EASE | 0."] {
            #expect(known.standardOutput.contains(row), "\(row) in \(known.standardOutput)")
        }
        #expect(known.standardOutput.contains("RecServe / best baseline ("))
        let newPerson = try runner.run("evaluate", test, "--protocol", "new-person", "--given", "500")
        #expect(newPerson.status == 0, "\(newPerson.standardError)")
        #expect(newPerson.standardOutput.contains("skipped with fewer than 500 training ratings"))
        #expect(!newPerson.standardOutput.contains("(0 skipped"), "someone has fewer than 500 ratings")
        #expect(runner.log().contains("evaluated top-N lists"))
        #expect(try runner.run("evaluate", test, "--protocol", "new-person").status == 2, "--given is required")
        #expect(try runner.run("evaluate", test, "--given", "5").status == 2, "--given needs the new-person protocol")
        let missingTraining = try runner.run("evaluate", test, "--protocol", "known-user", "--training-dataset", "/nonexistent.dat")
        #expect(missingTraining.status == 1)
        #expect(missingTraining.standardError.contains("pass --training-dataset"))
    }
}
