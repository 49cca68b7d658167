import Testing
import RecCore

/// The writer refuses an inconsistent artifact with a clear error instead of writing a file
/// the reader would reject.
struct ModelFileWriterValidationTests {
    @Test(arguments: [
        "movie ids not ascending", "movie ids repeated", "user ids not ascending", "a title missing",
        "a rating count missing", "a negative rating count", "an item bias too many", "item factors short",
        "implicit factors short", "neighbour out of range", "neighbour similarities short", "user biases short",
        "user factors long", "title key past the key bytes", "title key for a missing item", "metadata with NaN",
        "fold-in penalties short", "a fold-in penalty of zero", "genres short", "an empty genre", "a genre holding the separator",
        "watch table short", "watch tables of different widths", "a group's watch table missing", "a watch table no group uses",
        "watch target out of range", "watch weight not finite",
    ])
    func rejectsAnInconsistentArtifact(_ defect: String) {
        var artifact = ModelFileFixtures.artifact(seed: 13)
        switch defect {
        case "movie ids not ascending": artifact.movieIDs.swapAt(2, 3)
        case "movie ids repeated": artifact.movieIDs[4] = artifact.movieIDs[3]
        case "user ids not ascending": artifact.userIDs.swapAt(0, 4)
        case "a title missing": artifact.titles.removeLast()
        case "a rating count missing": artifact.itemRatingCounts.removeLast()
        case "a negative rating count": artifact.itemRatingCounts[1] = -3
        case "an item bias too many": artifact.itemBiases.append(0)
        case "item factors short": artifact.itemFactors.removeLast()
        case "implicit factors short": artifact.itemImplicitFactors!.removeLast()
        case "neighbour out of range": artifact.neighbours.items[0] = 7
        case "neighbour similarities short": artifact.neighbours.similarities.removeLast()
        case "user biases short": artifact.userBiases.removeLast()
        case "user factors long": artifact.userFactors.append(1)
        case "title key past the key bytes": artifact.titleIndex.entries[0].keyLength = UInt32(artifact.titleIndex.keyBytes.count + 1)
        case "title key for a missing item": artifact.titleIndex.entries[0].item = 7
        case "metadata with NaN": artifact.metadata.hyperparameters["learning_rate"] = .nan
        case "fold-in penalties short": artifact.foldInFactorPenalties!.removeLast()
        case "a fold-in penalty of zero": artifact.foldInFactorPenalties![0] = 0
        case "genres short": artifact.genres!.removeLast()
        case "an empty genre": artifact.genres![2].append("")
        case "a genre holding the separator": artifact.genres![0] = ["Drama|Musical"]
        case "watch table short": artifact.ranking!.watchWeights.tables[1].items.removeLast()
        case "watch tables of different widths":
            artifact.ranking!.watchWeights.tables[1] = NeighbourTable(
                neighboursPerItem: 1, items: [Int32](repeating: -1, count: 7), similarities: [Float](repeating: 0, count: 7))
        case "a group's watch table missing": artifact.ranking!.watchWeights.tableOfGroup[2] = 2
        case "a watch table no group uses": artifact.ranking!.watchWeights.tableOfGroup = [0, 0, 0]
        case "watch target out of range": artifact.ranking!.watchWeights.tables[1].items[3] = 7
        case "watch weight not finite": artifact.ranking!.watchWeights.tables[1].similarities[0] = .infinity
        default: Issue.record("unknown defect \(defect)")
        }
        let error = #expect(throws: ModelFileError.self) { try ModelFileWriter.encode(artifact) }
        #expect(error?.code == .invalidArtifact)
        #expect(error?.description.hasPrefix("invalid model artifact: ") == true)
    }

    @Test func namesWhatIsWrong() {
        var artifact = ModelFileFixtures.artifact(seed: 13)
        artifact.userBiases.removeLast()
        let error = #expect(throws: ModelFileError.self) { try ModelFileWriter.validate(artifact) }
        #expect(error?.reason == "invalid model artifact: userBiases has 4 values, expected 5")

        artifact = ModelFileFixtures.artifact(seed: 13)
        artifact.movieIDs[2] = artifact.movieIDs[1]
        let orderError = #expect(throws: ModelFileError.self) { try ModelFileWriter.validate(artifact) }
        #expect(
            orderError?.reason
                == "invalid model artifact: movie ids are not strictly ascending at index 2 (\(artifact.movieIDs[1]) then \(artifact.movieIDs[1]))"
        )
    }

    @Test func acceptsAValidArtifact() throws {
        try ModelFileWriter.validate(ModelFileFixtures.artifact(seed: 13))
        try ModelFileWriter.validate(ModelFileFixtures.artifact(seed: 13, itemCount: 0, userCount: 0, factorCount: 0, neighboursPerItem: 0))
    }
}
