import Foundation
import Testing
import RecCore

/// Prints how long opening a MovieLens-1M-sized model file takes and how fast its checksum
/// runs. A measurement, not a timed test: it asserts only that the file opens and verifies.
///
/// Run it in release, where the numbers mean something:
/// `REC_MEASURE_MODEL_FILE=1 swift test -c release --filter ModelFileMeasurement`
@Suite(.enabled(if: ProcessInfo.processInfo.environment["REC_MEASURE_MODEL_FILE"] == "1"))
struct ModelFileMeasurementTests {
    @Test func measuresOpenTimeAndChecksumThroughput() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("model-1.recmodel")
        let artifact = ModelFileFixtures.artifact(
            seed: 1, itemCount: 3883, userCount: 6040, factorCount: 340,
            hasImplicitFactors: true, neighboursPerItem: 50)
        let clock = ContinuousClock()
        let writeTime = try clock.measure { try ModelFileWriter.write(artifact, toPath: path) }

        var openTimes: [Duration] = []
        for _ in 0..<200 {
            var model: LoadedModel?
            openTimes.append(try clock.measure { model = try LoadedModel.open(path: path) })
            #expect(model?.itemCount == 3883)
        }
        let model = try LoadedModel.open(path: path)
        var checksumTimes: [Duration] = []
        for _ in 0..<30 {
            checksumTimes.append(try clock.measure { try model.verifyChecksum() })
        }

        func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
        }
        let sortedOpens = openTimes.sorted(), sortedChecksums = checksumTimes.sorted()
        let megabytes = Double(model.fileSize) / 1e6
        let gigabytesPerSecond = { (duration: Duration) in Double(model.fileSize) / 1e9 / (milliseconds(duration) / 1e3) }
        print(
            String(
                format: "model file: %.1f MB (%d items, %d users, %d factors), written in %.1f ms",
                megabytes, model.itemCount, model.userCount, model.factorCount, milliseconds(writeTime)))
        print(
            String(
                format: "open (open + fstat + mmap + validation), 200 runs: median %.3f ms, max %.3f ms",
                milliseconds(sortedOpens[100]), milliseconds(sortedOpens.last!)))
        print(
            String(
                format: "verifyChecksum, 30 runs: median %.2f ms = %.1f GB/s, best %.2f ms = %.1f GB/s",
                milliseconds(sortedChecksums[15]), gigabytesPerSecond(sortedChecksums[15]),
                milliseconds(sortedChecksums[0]), gigabytesPerSecond(sortedChecksums[0])))
    }
}
