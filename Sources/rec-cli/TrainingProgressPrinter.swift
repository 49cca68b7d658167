import Foundation
import RecCore
import Synchronization

/// Shows training progress on standard error: one redrawn line on a terminal (stage, epoch,
/// validation RMSE, ETA of the stage), plain lines every ten epochs otherwise.
final class TrainingProgressPrinter: Sendable {
    private let isTerminal: Bool
    private let hasDrawn = Mutex(false)

    init(isTerminal: Bool) {
        self.isTerminal = isTerminal
    }

    /// Shows one finished epoch.
    func report(_ progress: TrainingProgress) {
        let perEpoch = progress.elapsedSeconds / Double(max(progress.epoch, 1))
        let remaining = perEpoch * Double(max(progress.epochCount - progress.epoch, 0))
        var line = "[\(progress.stage)] epoch \(progress.epoch)/\(progress.epochCount)"
        if let rmse = progress.validationRMSE { line += "  validation RMSE \(CLIFormat.rmse(rmse))" }
        line += "  ETA \(CLIFormat.duration(remaining))"
        hasDrawn.withLock { drawn in
            if isTerminal {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
                drawn = true
            } else if progress.epoch % 10 == 0 || progress.epoch == progress.epochCount {
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
        }
    }

    /// Ends the redrawn line so later output starts on a fresh line.
    func finish() {
        hasDrawn.withLock { drawn in
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drawn = false
        }
    }
}
