import Foundation
import RecModels
import RecSystem
import RecTitleMatching

/// A model generation in use: a model file mapped into memory, checked, and exposed as
/// zero-copy views.
///
/// Opening parses nothing: it maps the file and checks the header, the section table and the
/// cross-section rules (`ModelFileInvariants`), in time that does not grow with the factor
/// arrays, so a worker can switch generations between two requests. The full checksum is a
/// separate step, `verifyChecksum()`. Every buffer below points into the mapping and is valid
/// as long as this object is alive; the file is unmapped when the last reference goes.
/// Immutable after opening, so one instance is shared by every thread.
public final class LoadedModel: @unchecked Sendable {
    /// The model file's path.
    public let path: String
    /// The generation number, from the file name `model-<generation>.recmodel` unless given.
    public let generation: Int
    /// The size of the model file in bytes.
    public let fileSize: Int
    /// The checksum stored in the header, which `verifyChecksum()` compares against.
    public let storedChecksum: UInt64

    /// The mean training rating.
    public let globalMean: Float
    /// The number of latent factors per user and item (0 for the bias-only baselines).
    public let factorCount: Int
    /// The floats between the starts of two factor rows: `factorCount` rounded up to a
    /// multiple of 16, so every row starts 64-byte aligned; the padding floats are zero.
    public let factorStride: Int
    /// The fold-in regularisation for new people.
    public let foldIn: FoldInParameters
    /// The number of items (movies).
    public let itemCount: Int
    /// The number of users with factors.
    public let userCount: Int
    /// The neighbour slots of each item.
    public let neighboursPerItem: Int

    /// The movie id of each item, strictly ascending.
    public let movieIDs: UnsafeBufferPointer<Int32>
    /// The bias of each item.
    public let itemBiases: UnsafeBufferPointer<Float>
    /// `itemCount × factorStride` item factors, row-major.
    public let itemFactors: UnsafeBufferPointer<Float>
    /// `itemCount × factorStride` implicit-feedback factors (SVD++'s `y_j`), or `nil`.
    public let itemImplicitFactors: UnsafeBufferPointer<Float>?
    /// The number of training ratings of each item.
    public let itemRatingCounts: UnsafeBufferPointer<Int32>
    /// The title of each item.
    public let titles: StringTableView
    /// The title-match index.
    public let titleIndex: TitleIndexView
    /// `itemCount × neighboursPerItem` neighbour item indices, most similar first; `-1` is empty.
    public let neighbourItems: UnsafeBufferPointer<Int32>
    /// The similarity of each neighbour slot.
    public let neighbourSimilarities: UnsafeBufferPointer<Float>
    /// The user id of each user, strictly ascending.
    public let userIDs: UnsafeBufferPointer<Int32>
    /// The bias of each user.
    public let userBiases: UnsafeBufferPointer<Float>
    /// `userCount × factorStride` user factors, row-major.
    public let userFactors: UnsafeBufferPointer<Float>
    /// A Bayesian model's fold-in penalty per factor, or `nil` (see `FoldInPrior`).
    public let foldInFactorPenalties: UnsafeBufferPointer<Float>?
    /// The ranking model, or nil when lists follow the rating order (models trained before it
    /// existed, or with it disabled).
    public let ranking: RankingModelView?
    /// The training metadata as UTF-8 JSON; `metadata()` decodes it.
    public let metadataJSON: UnsafeRawBufferPointer
    /// The genres of each movie; `MovieGenresView.none` (no genres for any movie) for a
    /// generation written before the model file stored them.
    public let genres: MovieGenresView

    private let mapping: MemoryMappedFile

    /// Opens the model file at `path`: maps it and checks its structure, and with
    /// `verifyContents` also its checksum and that every float is finite (`verifyContents()`,
    /// a pass over the whole file).
    ///
    /// `generation` defaults to the number in a `model-<generation>.recmodel` file name, or 0.
    public static func open(path: String, generation: Int? = nil, verifyContents: Bool = false) throws(ModelFileError) -> LoadedModel {
        let mapping: MemoryMappedFile
        do throws(SystemCallError) {
            mapping = try MemoryMappedFile(path: path)
        } catch {
            throw ModelFileError(error, path: path)
        }
        let generation = generation ?? ModelStore.generation(inFileName: String(path.split(separator: "/").last ?? "")) ?? 0
        let model = try LoadedModel(mapping: mapping, path: path, generation: generation)
        if verifyContents { try model.verifyContents() }
        return model
    }

    private init(mapping: consuming MemoryMappedFile, path: String, generation: Int) throws(ModelFileError) {
        let file = mapping.bytes
        let header = try ModelFileHeader.parse(file, path: path)
        let sections = try ModelFileSectionTable(file: file, header: header, path: path)
        let itemCount = header.itemCount, userCount = header.userCount, stride = header.factorStride
        let neighbourSlots = itemCount * header.neighboursPerItem

        movieIDs = try sections.requiredElements(.movieIDs, as: Int32.self, count: itemCount)
        itemBiases = try sections.requiredElements(.itemBiases, as: Float.self, count: itemCount)
        itemRatingCounts = try sections.requiredElements(.itemRatingCounts, as: Int32.self, count: itemCount)
        itemFactors = try sections.requiredElements(.itemFactors, as: Float.self, count: itemCount * stride)
        itemImplicitFactors = try sections.elements(.itemImplicitFactors, as: Float.self, count: itemCount * stride)
        let titleOffsets = try sections.requiredElements(.titleOffsets, as: UInt32.self, count: itemCount + 1)
        titles = StringTableView(offsets: titleOffsets, bytes: sections.requiredBytes(.titleBytes))
        titleIndex = TitleIndexView(
            keyBytes: sections.requiredBytes(.titleKeyBytes),
            entries: try sections.requiredElements(.titleKeyEntries, as: TitleKeyEntry.self),
            trigrams: try sections.requiredElements(.titleTrigrams, as: UInt32.self),
            trigramPostingStarts: try sections.requiredElements(.titleTrigramPostingStarts, as: UInt32.self),
            trigramPostings: try sections.requiredElements(.titleTrigramPostings, as: UInt32.self))
        neighbourItems = try sections.requiredElements(.neighbourItems, as: Int32.self, count: neighbourSlots)
        neighbourSimilarities = try sections.requiredElements(.neighbourSimilarities, as: Float.self, count: neighbourSlots)
        userIDs = try sections.requiredElements(.userIDs, as: Int32.self, count: userCount)
        userBiases = try sections.requiredElements(.userBiases, as: Float.self, count: userCount)
        userFactors = try sections.requiredElements(.userFactors, as: Float.self, count: userCount * stride)
        metadataJSON = sections.requiredBytes(.metadataJSON)
        foldInFactorPenalties = try sections.elements(.foldInFactorPenalties, as: Float.self, count: header.factorCount)
        ranking = try RankingModelView(sections: sections, itemCount: itemCount, userCount: userCount, path: path)
        genres = try MovieGenresView(sections: sections, itemCount: itemCount, path: path)

        do throws(ModelFileInvariants.Violation) {
            try ModelFileInvariants.checkStrictlyAscending(movieIDs, name: "movie ids")
            try ModelFileInvariants.checkStrictlyAscending(userIDs, name: "user ids")
            try ModelFileInvariants.checkNonNegative(itemRatingCounts, name: "item rating counts")
            try ModelFileInvariants.checkStringOffsets(titleOffsets, byteCount: titles.bytes.count, name: "title")
            try ModelFileInvariants.checkTitleIndex(titleIndex, itemCount: itemCount)
            try ModelFileInvariants.checkNeighbourItems(neighbourItems, itemCount: itemCount)
            if let foldInFactorPenalties {
                try ModelFileInvariants.checkPositive(foldInFactorPenalties, name: "fold-in factor penalties")
            }
        } catch {
            throw ModelFileError(.corruptSection, path: path, reason: error.reason)
        }

        self.path = path
        self.generation = generation
        self.fileSize = header.fileSize
        self.storedChecksum = header.checksum
        self.globalMean = header.globalMean
        self.factorCount = header.factorCount
        self.factorStride = stride
        self.foldIn = header.foldIn
        self.itemCount = itemCount
        self.userCount = userCount
        self.neighboursPerItem = header.neighboursPerItem
        self.mapping = mapping
    }

    /// The model file's identity when it was mapped and checked.
    public var fileIdentity: FileIdentity { mapping.identity }

    /// Whether the file is still exactly what was mapped and checked: neither written,
    /// truncated nor replaced in place since (one `fstat`), and no read of it faulted.
    ///
    /// Serving checks this before and after each request, so a generation changed on disk
    /// after validation is refused instead of answered from (see `ServedModelHolder`).
    public var isUnchangedOnDisk: Bool { mapping.isUnchanged }

    /// Checks everything the structural checks on open leave out: the checksum
    /// (`verifyChecksum()`), that every stored float is finite, and that every bias and factor
    /// is at most `ModelFileInvariants.largestParameterMagnitude` in magnitude, so no
    /// prediction, similarity or ranking score can come out infinite or NaN. Costs about two
    /// passes over the file.
    public func verifyContents() throws(ModelFileError) {
        try verifyChecksum()
        let bound = ModelFileInvariants.largestParameterMagnitude
        var floatSections: [(String, UnsafeBufferPointer<Float>, Float)] = [
            ("item biases", itemBiases, bound), ("item factors", itemFactors, bound),
            ("neighbour similarities", neighbourSimilarities, .infinity),
            ("user biases", userBiases, bound), ("user factors", userFactors, bound),
        ]
        if let itemImplicitFactors { floatSections.append(("implicit item factors", itemImplicitFactors, bound)) }
        for table in ranking?.watchTables ?? [] { floatSections.append(("watch weights", table.weights, .infinity)) }
        do throws(ModelFileInvariants.Violation) {
            guard globalMean.isFinite, abs(globalMean) <= bound else {
                throw ModelFileInvariants.Violation(reason: "the global mean is not a finite rating (\(globalMean))")
            }
            for (name, values, limit) in floatSections { try ModelFileInvariants.checkFinite(values, name: name, magnitudeLimit: limit) }
        } catch {
            throw ModelFileError(.corruptSection, path: path, reason: error.reason)
        }
    }

    /// Checks the whole file against the checksum in its header: catches bit rot and torn
    /// copies that the structural checks on open cannot see. Costs one pass over the file.
    public func verifyChecksum() throws(ModelFileError) {
        let computed = ModelFileChecksum.compute(file: mapping.bytes)
        guard computed == storedChecksum else {
            throw ModelFileError(
                .checksumMismatch, path: path,
                reason:
                    "the checksum is 0x\(String(computed, radix: 16)) but the header says 0x\(String(storedChecksum, radix: 16)): the file is corrupt"
            )
        }
    }

    /// A copy of the whole mapped file, for publishing a verified download as it is.
    func copyOfFile() -> [UInt8] { Array(mapping.bytes) }

    /// The training metadata, decoded from `metadataJSON` on each call.
    public func metadata() throws(ModelFileError) -> ModelMetadata {
        do {
            return try JSONDecoder().decode(ModelMetadata.self, from: Data(metadataJSON))
        } catch {
            throw ModelFileError(.corruptSection, path: path, reason: "the metadata JSON cannot be decoded (\(error))")
        }
    }

    /// The item index of `movieID`, or `nil` if the model has no such movie.
    public func itemIndex(movieID: Int32) -> Int? { Self.index(of: movieID, in: movieIDs) }

    /// The user index of `userID`, or `nil` if the model has no such user.
    public func userIndex(userID: Int32) -> Int? { Self.index(of: userID, in: userIDs) }

    /// The `factorCount` factors of `item`, without the row padding.
    public func itemFactorRow(_ item: Int) -> UnsafeBufferPointer<Float> {
        Self.row(item, of: itemFactors, stride: factorStride, count: factorCount)
    }

    /// The `factorCount` implicit factors of `item`, or `nil` if the model has none.
    public func itemImplicitFactorRow(_ item: Int) -> UnsafeBufferPointer<Float>? {
        itemImplicitFactors.map { Self.row(item, of: $0, stride: factorStride, count: factorCount) }
    }

    /// The `factorCount` factors of `user`, without the row padding.
    public func userFactorRow(_ user: Int) -> UnsafeBufferPointer<Float> {
        Self.row(user, of: userFactors, stride: factorStride, count: factorCount)
    }

    /// The neighbour slots of `item`: item indices (`-1` for an empty slot) and similarities,
    /// most similar first.
    public func neighbours(ofItem item: Int) -> (items: UnsafeBufferPointer<Int32>, similarities: UnsafeBufferPointer<Float>) {
        let slots = (item * neighboursPerItem)..<((item + 1) * neighboursPerItem)
        return (UnsafeBufferPointer(rebasing: neighbourItems[slots]), UnsafeBufferPointer(rebasing: neighbourSimilarities[slots]))
    }

    /// Row `index` of a padded factor matrix, without its padding.
    static func row(_ index: Int, of matrix: UnsafeBufferPointer<Float>, stride: Int, count: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: matrix[(index * stride)..<(index * stride + count)])
    }

    private static func index(of id: Int32, in ids: UnsafeBufferPointer<Int32>) -> Int? {
        var low = 0, high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }
}
