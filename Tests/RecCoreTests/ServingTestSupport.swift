import Foundation
import Logging
import Testing
@testable import RecCore

/// A data folder for serving tests: publish generations and follow them with holders.
final class ServingFixture: @unchecked Sendable {
    let folder = TemporaryDirectory()
    let dataDirectory: DataDirectory

    init() {
        dataDirectory = DataDirectory(root: folder.file("data"))
    }

    var store: ModelStore { ModelStore(dataDirectory: dataDirectory) }

    /// Publishes `artifact` (the trained fixture's by default) as the next generation.
    @discardableResult
    func publish(_ artifact: ModelArtifact? = nil) throws -> Int {
        try store.publish(artifact ?? TrainedModelFixture.load().result.artifact).generation
    }

    /// A holder that re-checks the control file's identity and retries failed opens on every request.
    func holder() -> ServedModelHolder {
        ServedModelHolder(dataDirectory: dataDirectory, logger: TrainedModelFixture.quietLogger, controlCheckInterval: .zero,
                          retryInterval: .zero)
    }

    /// The control file's path.
    var controlFilePath: String { ServedModelControl.controlFilePath(dataDirectory: dataDirectory) }

    /// Flips one bit of the first item factor in generation `generation`'s file (published from
    /// the trained fixture): damage only the checksum can see.
    func corruptFirstItemFactor(generation: Int) throws {
        let path = store.path(forGeneration: generation)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let factors = try TrainedModelFixture.load().result.artifact.itemFactors.prefix(4)
        let pattern = factors.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let offset = try #require((0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) })
        bytes[offset + 1] ^= 0x10
        try bytes.write(to: path)
    }
}
