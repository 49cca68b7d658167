import Foundation
import RecConfiguration
import RecSystem
import RecModels

/// Reads and writes `data/model/evaluation.json`, the last `evaluate` result.
public enum EvaluationRecord {
    /// The file name inside the model folder.
    public static let fileName = "evaluation.json"

    /// The path of the record in `dataDirectory`.
    public static func path(in dataDirectory: DataDirectory) -> String {
        dataDirectory.modelDirectory + "/" + fileName
    }

    /// Writes `metrics` atomically (temporary file, then rename), so readers never see half a record.
    public static func save(_ metrics: EvaluationMetrics, in dataDirectory: DataDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(metrics)
        try SystemCalls.makeDirectories(dataDirectory.modelDirectory)
        try data.write(to: URL(fileURLWithPath: path(in: dataDirectory)), options: .atomic)
    }

    /// The last stored evaluation, or nil when there is none or it cannot be read.
    public static func load(in dataDirectory: DataDirectory) -> EvaluationMetrics? {
        guard let data = FileManager.default.contents(atPath: path(in: dataDirectory)) else { return nil }
        return try? JSONDecoder().decode(EvaluationMetrics.self, from: data)
    }
}
