import RecModels
import RecTitleMatching

extension LoadedModel {
    /// Copies the model back into owned arrays, without the factor row padding: the inverse
    /// of `ModelFileWriter.encode`, so a written and reopened model compares equal to the
    /// artifact it came from, and a tool can rewrite an old file in a new layout.
    public func artifact() throws(ModelFileError) -> ModelArtifact {
        ModelArtifact(
            metadata: try metadata(),
            globalMean: globalMean,
            factorCount: factorCount,
            foldIn: foldIn,
            movieIDs: Array(movieIDs),
            titles: (0..<titles.count).map { titles[$0] },
            itemRatingCounts: Array(itemRatingCounts),
            itemBiases: Array(itemBiases),
            itemFactors: unpaddedRows(itemFactors, rowCount: itemCount),
            itemImplicitFactors: itemImplicitFactors.map { unpaddedRows($0, rowCount: itemCount) },
            titleIndex: TitleIndexTables(
                keyBytes: Array(titleIndex.keyBytes), entries: Array(titleIndex.entries),
                trigrams: Array(titleIndex.trigrams),
                trigramPostingStarts: Array(titleIndex.trigramPostingStarts),
                trigramPostings: Array(titleIndex.trigramPostings)),
            neighbours: NeighbourTable(
                neighboursPerItem: neighboursPerItem, items: Array(neighbourItems),
                similarities: Array(neighbourSimilarities)),
            userIDs: Array(userIDs),
            userBiases: Array(userBiases),
            userFactors: unpaddedRows(userFactors, rowCount: userCount),
            foldInFactorPenalties: foldInFactorPenalties.map(Array.init),
            ranking: ranking.map { view in
                RankingArtifact(
                    ratedItems: RatedItemSets(itemCount: itemCount, starts: Array(view.ratedItemStarts), items: Array(view.ratedItems)),
                    rankedItemsPerUser: view.rankedItemsPerUser, userRankedItems: Array(view.userRankedItems),
                    watchWeights: NewPersonWatchWeights(
                        tables: view.watchTables.map { table in
                            NeighbourTable(
                                neighboursPerItem: view.watchWeightsPerItem, items: Array(table.items), similarities: Array(table.weights))
                        },
                        tableOfGroup: view.watchTableOfGroup),
                    blends: view.blends)
            },
            genres: genres.isStored ? (0..<itemCount).map { genres.genres(ofItem: $0) } : nil)
    }

    /// The first `factorCount` floats of each of `rowCount` rows of `matrix`, concatenated.
    private func unpaddedRows(_ matrix: UnsafeBufferPointer<Float>, rowCount: Int) -> [Float] {
        var rows: [Float] = []
        rows.reserveCapacity(rowCount * factorCount)
        for row in 0..<rowCount {
            rows.append(contentsOf: Self.row(row, of: matrix, stride: factorStride, count: factorCount))
        }
        return rows
    }
}
