import Foundation
import RecModels

/// The contents of an ALS interchange folder, version 1, the output of `spark/train_als.py`
/// (`docs/scaling.md`, "Training on Spark"), read and checked on its own:
///
/// - `manifest.json`: `format` `"recserve-als"`, `format_version` 1, `rank`, `users`, `items`,
///   `ratings`, `global_mean`, `hyperparameters` (with `reg_param`), and optionally
///   `training_rmse`, `seed`, `seconds`, `source`, `spark_version`, `selection`
///   (`validation_rmse`, `validation_fraction`).
/// - `user_factors.csv` and `item_factors.csv`: the header `id,bias,f0,…,f<rank−1>`, then one
///   row per user or movie: an integer id, its bias and its `rank` factors, all finite.
///
/// Every check names the file and, for a row, its line; nothing is skipped.
public struct ALSInterchange: Sendable, Equatable {
    /// The interchange format's name, `manifest.json`'s `format`.
    public static let formatName = "recserve-als"
    /// The only version this build reads.
    public static let formatVersion = 1
    /// The manifest's file name.
    public static let manifestFileName = "manifest.json"
    /// The user factors' file name.
    public static let userFactorsFileName = "user_factors.csv"
    /// The item factors' file name.
    public static let itemFactorsFileName = "item_factors.csv"
    /// The largest rank accepted.
    public static let maximumRank = 1024

    /// One row of a factor file.
    public struct Row: Sendable, Equatable {
        /// The user or movie id.
        public var id: Int32
        /// Its bias.
        public var bias: Float
        /// Its `rank` factors.
        public var factors: [Float]
        /// The line of the file it came from, for messages.
        public var line: Int
    }

    /// The folder it was read from.
    public var directory: String
    /// The number of factors.
    public var rank: Int
    /// The mean training rating.
    public var globalMean: Float
    /// The number of training ratings the manifest declares.
    public var ratingCount: Int
    /// The numeric hyper-parameters of the manifest, by name.
    public var hyperparameters: [String: Double]
    /// ALS's `regParam`, the per-rating factor penalty, which fold-in reuses.
    public var regularization: Double
    /// The training RMSE Spark measured, if recorded.
    public var trainingRMSE: Double?
    /// The validation RMSE of the chosen hyper-parameters, if Spark measured one.
    public var validationRMSE: Double?
    /// The share of the ratings held out for it, or 0.
    public var validationFraction: Double
    /// The seed of the run (42 if not recorded).
    public var seed: UInt64
    /// Spark's wall-clock seconds, if recorded.
    public var sparkSeconds: Double?
    /// The ratings path Spark read, if recorded.
    public var source: String?
    /// The Spark version, if recorded.
    public var sparkVersion: String?
    /// The users' rows, in file order.
    public var users: [Row]
    /// The movies' rows, in file order.
    public var items: [Row]

    /// The path of `name` inside the folder.
    static func path(_ name: String, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Reads and checks the folder at `directory`: the manifest, then both factor files
    /// against it (header, rank, column counts, finite values, unique ids, row counts).
    public static func read(directory: String) throws(ALSImportError) -> ALSInterchange {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ALSImportError(.missingFile, file: directory, reason: "no such folder")
        }
        let manifestPath = path(manifestFileName, in: directory)
        let manifest = try Manifest(bytes: contents(of: manifestPath), file: manifestPath)
        var interchange = ALSInterchange(
            directory: directory, rank: manifest.rank, globalMean: manifest.globalMean, ratingCount: manifest.ratings,
            hyperparameters: manifest.hyperparameters, regularization: manifest.regularization,
            trainingRMSE: manifest.trainingRMSE, validationRMSE: manifest.validationRMSE,
            validationFraction: manifest.validationFraction, seed: manifest.seed, sparkSeconds: manifest.seconds,
            source: manifest.source, sparkVersion: manifest.sparkVersion, users: [], items: [])
        for (name, declared, noun) in [
            (userFactorsFileName, manifest.users, "users"), (itemFactorsFileName, manifest.items, "movies"),
        ] {
            let file = path(name, in: directory)
            let rows = try parseFactors(contents(of: file), file: file, rank: manifest.rank)
            guard rows.count == declared else {
                throw ALSImportError(
                    .countMismatch, file: file, reason: "\(rows.count) \(noun), but \(manifestFileName) says \(declared)")
            }
            if name == userFactorsFileName { interchange.users = rows } else { interchange.items = rows }
        }
        return interchange
    }

    private static func contents(of file: String) throws(ALSImportError) -> [UInt8] {
        do {
            return try FileContents.bytes(atPath: file)
        } catch {
            throw ALSImportError(.missingFile, file: file, reason: error.reason)
        }
    }

    /// The rows of a factor file with `rank` factors.
    static func parseFactors(_ bytes: [UInt8], file: String, rank: Int) throws(ALSImportError) -> [Row] {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else {
            throw ALSImportError(.wrongHeader, file: file, reason: "the file is empty; expected the header id,bias,f0,...")
        }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let factorNames = names.count >= 2 ? Array(names.dropFirst(2)) : []
        guard names.count >= 2, names[0] == "id", names[1] == "bias",
            factorNames == (0..<factorNames.count).map({ "f\($0)" })
        else {
            throw ALSImportError(
                .wrongHeader, file: file,
                reason: "line 1: the header is '\(header.prefix(80))', expected id,bias,f0,...,f\(rank - 1)")
        }
        guard factorNames.count == rank else {
            throw ALSImportError(
                .rankMismatch, file: file,
                reason: "the header has \(factorNames.count) factor columns, but \(manifestFileName) says rank \(rank)")
        }
        var rows: [Row] = []
        rows.reserveCapacity(lines.count - 1)
        var firstLine: [Int32: Int] = [:]
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == rank + 2 else {
                throw ALSImportError(
                    .wrongColumnCount, file: file, reason: "line \(number): \(fields.count) columns, expected \(rank + 2)")
            }
            guard let id = Int32(fields[0].trimmingCharacters(in: .whitespaces)) else {
                throw ALSImportError(
                    .malformedValue, file: file, reason: "line \(number): the id '\(fields[0].prefix(40))' is not an integer")
            }
            if let first = firstLine[id] {
                throw ALSImportError(.duplicatedID, file: file, reason: "line \(number): id \(id) is repeated (first on line \(first))")
            }
            firstLine[id] = number
            var values = [Float](repeating: 0, count: rank + 1)
            for column in 1..<fields.count {
                let name = names[column]
                let field = fields[column].trimmingCharacters(in: .whitespaces)
                guard let value = Double(field) else {
                    throw ALSImportError(
                        .malformedValue, file: file, reason: "line \(number): \(name) '\(field.prefix(40))' is not a number")
                }
                let single = Float(value)
                guard single.isFinite else {
                    throw ALSImportError(.nonFiniteValue, file: file, reason: "line \(number): \(name) is not finite (\(field.prefix(40)))")
                }
                values[column - 1] = single
            }
            rows.append(Row(id: id, bias: values[0], factors: Array(values[1...]), line: number))
        }
        return rows
    }
}

/// `manifest.json`, checked field by field.
private struct Manifest {
    var rank: Int
    var users: Int
    var items: Int
    var ratings: Int
    var globalMean: Float
    var hyperparameters: [String: Double]
    var regularization: Double
    var trainingRMSE: Double?
    var validationRMSE: Double?
    var validationFraction: Double
    var seed: UInt64
    var seconds: Double?
    var source: String?
    var sparkVersion: String?

    init(bytes: [UInt8], file: String) throws(ALSImportError) {
        func fail(_ reason: String) -> ALSImportError { ALSImportError(.invalidManifest, file: file, reason: reason) }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw fail("not a JSON object")
            }
            object = parsed
        } catch let error as ALSImportError {
            throw error
        } catch {
            throw fail("not valid JSON")
        }
        func number(_ value: Any?) -> Double? {
            // JSON's true and false are NSNumbers too, of the type char.
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
            return number.doubleValue
        }
        func count(_ key: String, minimum: Int) throws(ALSImportError) -> Int {
            guard let value = number(object[key]) else { throw fail("'\(key)' is missing or not a number") }
            guard value == value.rounded(), value >= Double(minimum), value <= Double(Int32.max) else {
                throw fail("'\(key)' must be a whole number of at least \(minimum), not \(value)")
            }
            return Int(value)
        }
        func optionalNumber(_ key: String, in dictionary: [String: Any]) throws(ALSImportError) -> Double? {
            guard let raw = dictionary[key], !(raw is NSNull) else { return nil }
            guard let value = number(raw), value.isFinite else { throw fail("'\(key)' is not a finite number") }
            return value
        }
        guard let format = object["format"] as? String else { throw fail("'format' is missing") }
        guard format == ALSInterchange.formatName else {
            throw fail("the format is '\(format)', not '\(ALSInterchange.formatName)'")
        }
        guard let version = number(object["format_version"]) else { throw fail("'format_version' is missing") }
        guard version == Double(ALSInterchange.formatVersion) else {
            throw fail("format_version \(version) is not supported (this build reads \(ALSInterchange.formatVersion))")
        }
        rank = try count("rank", minimum: 1)
        guard rank <= ALSInterchange.maximumRank else { throw fail("rank \(rank) is over \(ALSInterchange.maximumRank)") }
        users = try count("users", minimum: 1)
        items = try count("items", minimum: 1)
        ratings = try count("ratings", minimum: 1)
        guard let mean = try optionalNumber("global_mean", in: object) else { throw fail("'global_mean' is missing") }
        globalMean = Float(mean)
        guard let parameters = object["hyperparameters"] as? [String: Any] else {
            throw fail("'hyperparameters' is missing or not an object")
        }
        var numeric: [String: Double] = [:]
        for (key, raw) in parameters {
            guard let value = number(raw), value.isFinite else { throw fail("hyperparameter '\(key)' is not a finite number") }
            numeric[key] = value
        }
        guard let regParam = numeric["reg_param"], regParam >= 0 else {
            throw fail("hyperparameter 'reg_param' (ALS's regParam, which fold-in uses) is missing or negative")
        }
        if let declared = numeric["rank"], declared != Double(rank) {
            throw fail("hyperparameter rank \(declared) differs from rank \(rank)")
        }
        hyperparameters = numeric
        regularization = regParam
        trainingRMSE = try optionalNumber("training_rmse", in: object)
        seconds = try optionalNumber("seconds", in: object)
        let selection = object["selection"] as? [String: Any] ?? [:]
        validationRMSE = try optionalNumber("validation_rmse", in: selection)
        validationFraction = validationRMSE == nil ? 0 : try optionalNumber("validation_fraction", in: selection) ?? 0
        let seedValue = try optionalNumber("seed", in: object) ?? 42
        guard seedValue >= 0, seedValue == seedValue.rounded(), seedValue < 1.8e19 else { throw fail("'seed' must be a whole number ≥ 0") }
        seed = UInt64(seedValue)
        source = object["source"] as? String
        sparkVersion = object["spark_version"] as? String
    }
}
