import Foundation
import Testing

/// `rec-cli import --als DIR`: a folder as `spark/train_als.py` writes it becomes the served
/// generation; a broken one exits 1 with `file: reason` and publishes nothing.
struct CLIImportTests {
    /// Writes a rank-2 interchange folder for two users and two movies, and their ratings.
    private func writeFolder(in root: String, userFactors: String) throws -> (folder: String, dataset: String) {
        let folder = root + "/als", data = root + "/data"
        for path in [folder, data] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        let manifest = """
            {"format": "recserve-als", "format_version": 1, "rank": 2, "users": 2, "items": 2, "ratings": 3,
             "global_mean": 3.5, "hyperparameters": {"rank": 2, "reg_param": 0.1, "max_iter": 5}, "seed": 3, "seconds": 4.0}
            """
        try manifest.write(toFile: folder + "/manifest.json", atomically: true, encoding: .utf8)
        try userFactors.write(toFile: folder + "/user_factors.csv", atomically: true, encoding: .utf8)
        try "id,bias,f0,f1\n7,0.25,1.0,0.5\n8,-0.5,0.2,0.4\n".write(toFile: folder + "/item_factors.csv", atomically: true, encoding: .utf8)
        try "1::7::5::1\n1::8::3::1\n2::7::4::1\n".write(toFile: data + "/ratings.dat", atomically: true, encoding: .utf8)
        try "7::Seven (1995)::Drama\n8::Eight (1996)::Comedy\n".write(toFile: data + "/movies.dat", atomically: true, encoding: .utf8)
        return (folder, data + "/ratings.dat")
    }

    @Test func importPublishesAGenerationThatPredicts() throws {
        let runner = CLIRunner()
        defer { runner.cleanUp() }
        let (folder, dataset) = try writeFolder(
            in: runner.dataDirectory + "/in", userFactors: "id,bias,f0,f1\n1,0.5,0.4,0.2\n2,0.0,-0.1,0.3\n")
        let outcome = try runner.run("import", "--als", folder, "--dataset", dataset)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("Imported spark-als (rank 2) from \(folder)"))
        #expect(outcome.standardOutput.contains("3 ratings, 2 users, 2 movies"))
        #expect(outcome.standardOutput.contains("Published generation 1:"))

        // User 2, movie 8: 3.5 + 0 − 0.5 + (−0.1 · 0.2 + 0.3 · 0.4) = 3.1; rated 4, so RMSE 0.9.
        let test = runner.dataDirectory + "/in/test.dat"
        try "2::8::4::1\n".write(toFile: test, atomically: true, encoding: .utf8)
        let evaluate = try runner.run("evaluate", "--dataset=\(test)")
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        #expect(evaluate.standardOutput.hasPrefix("RMSE: 0.9000\n"), "\(evaluate.standardOutput)")
        let info = try runner.run("info")
        #expect(info.standardOutput.contains(#""algorithm":"spark-als""#))
        #expect(runner.log().contains("rec-cli: imported ALS factors"))
    }

    @Test func aBrokenFolderExitsOneNamingTheFileAndPublishesNothing() throws {
        let runner = CLIRunner()
        defer { runner.cleanUp() }
        let (folder, dataset) = try writeFolder(in: runner.dataDirectory + "/in", userFactors: "id,bias,f0,f1\n1,0.5,0.4,0.2\n2,0.0,0.3\n")
        let outcome = try runner.run("import", "--als", folder, "--dataset", dataset)
        #expect(outcome.status == 1)
        #expect(
            outcome.standardError.contains("error: \(folder)/user_factors.csv: line 3: 3 columns, expected 4"), "\(outcome.standardError)")
        #expect(!FileManager.default.fileExists(atPath: runner.dataDirectory + "/model/CURRENT"))

        let missing = try runner.run("import", "--dataset", dataset)
        #expect(missing.status == 2)
    }
}
