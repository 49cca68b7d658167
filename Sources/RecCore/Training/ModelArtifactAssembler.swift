import RecModelFile
import RecModels
import RecTitleMatching

/// Assembles the `ModelArtifact` of a trained model: parameters, ids, titles, genres, the
/// title-match index, similar-movie lists and metadata.
enum ModelArtifactAssembler {
    /// Pseudo-ratings added to a folded-in person's rating count in the factor penalty.
    static let foldInPriorRatingCount: Float = 20
    /// The folded-in person's bias penalty, in pseudo-ratings.
    static let foldInBiasRegularization: Float = 2

    /// How a new person is folded into `parameters`: a Bayesian model with its learned prior
    /// (the header keeps the bias penalty and, for information, the mean factor penalty; the
    /// section has every factor's), an SGD model with the per-rating penalty it was trained with.
    static func foldInParameters(for parameters: FactorParameters, hyperparameters: [String: Double]) -> FoldInParameters {
        if let prior = parameters.foldInPrior {
            let meanPenalty = prior.factorPenalties.isEmpty ? 1 : prior.factorPenalties.reduce(0, +) / Float(prior.factorPenalties.count)
            return FoldInParameters(biasRegularization: prior.biasPenalty, factorRegularization: meanPenalty, priorRatingCount: 0)
        }
        return FoldInParameters(
            biasRegularization: foldInBiasRegularization,
            factorRegularization: Float(hyperparameters["factor_regularization"] ?? 0.05),
            priorRatingCount: foldInPriorRatingCount)
    }

    static func assemble(
        parameters: FactorParameters, data: TrainingData, neighbours: NeighbourTable,
        metadata: ModelMetadata
    ) -> ModelArtifact {
        let ratingCounts = data.ratings.itemRatingCounts
        let foldIn = foldInParameters(for: parameters, hyperparameters: metadata.hyperparameters)
        return ModelArtifact(
            metadata: metadata, globalMean: parameters.globalMean, factorCount: parameters.factorCount, foldIn: foldIn,
            movieIDs: data.itemIndex.identifiers, titles: data.titles, itemRatingCounts: ratingCounts,
            itemBiases: parameters.itemBiases, itemFactors: parameters.itemFactors.unpadded,
            itemImplicitFactors: parameters.itemImplicitFactors?.unpadded,
            titleIndex: TitleIndexBuilder.build(titles: data.titles, ratingCounts: ratingCounts),
            neighbours: neighbours, userIDs: data.userIndex.identifiers, userBiases: parameters.userBiases,
            userFactors: parameters.userFactors.unpadded,
            foldInFactorPenalties: parameters.factorCount > 0 ? parameters.foldInPrior?.factorPenalties : nil,
            genres: data.genres)
    }
}
