#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RecConfiguration
import RecSystem

/// The folder of model generations, `data/model`: immutable files `model-<generation>.recmodel`
/// and a `CURRENT` pointer naming the generation to serve.
///
/// Reading needs no lock: files never change once named, and `CURRENT` is replaced by a
/// rename, so a reader sees the old or the new pointer, never a torn one. Writing (publishing,
/// moving `CURRENT`, pruning) is in `ModelStore+Publishing.swift` and takes a lock. The store
/// is a plain value; any number of them, in any processes, may point at the same folder.
public struct ModelStore: Sendable {
    /// How many of the newest generations publishing keeps unless told otherwise.
    public static let defaultRetainedGenerationCount = 3
    /// The name of the pointer file that holds the current generation number.
    public static let currentPointerName = "CURRENT"
    /// The name of the lock file writers hold while they change the folder.
    public static let lockFileName = ".lock"
    /// The longest `CURRENT` that is read; a longer one is garbage, not a generation number.
    private static let currentPointerCapacity = 64

    /// The folder, for example `data/model`.
    public let directory: String
    /// How many of the newest generations `publish` and `prune()` keep.
    public var retainedGenerationCount: Int
    /// Generations that pruning must keep besides the newest and the current one, asked at
    /// each prune; the serving layer returns the generations its workers still serve.
    public var protectedGenerations: @Sendable () -> Set<Int>

    /// A store for the folder `directory`, which is created when the first model is published.
    public init(
        directory: String, retainedGenerationCount: Int = ModelStore.defaultRetainedGenerationCount,
        protectedGenerations: @escaping @Sendable () -> Set<Int> = { [] }
    ) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.retainedGenerationCount = retainedGenerationCount
        self.protectedGenerations = protectedGenerations
    }

    /// The store in `dataDirectory.modelDirectory`.
    public init(
        dataDirectory: DataDirectory, retainedGenerationCount: Int = ModelStore.defaultRetainedGenerationCount,
        protectedGenerations: @escaping @Sendable () -> Set<Int> = { [] }
    ) {
        self.init(
            directory: dataDirectory.modelDirectory, retainedGenerationCount: retainedGenerationCount,
            protectedGenerations: protectedGenerations)
    }

    /// The path of the `CURRENT` pointer.
    public var currentPointerPath: String { directory + "/" + Self.currentPointerName }

    /// The path of generation `generation`'s model file.
    public func path(forGeneration generation: Int) -> String {
        directory + "/" + Self.fileName(forGeneration: generation)
    }

    /// `model-<generation>.recmodel`.
    public static func fileName(forGeneration generation: Int) -> String {
        "model-\(generation).\(ModelFileLayout.fileExtension)"
    }

    /// The generation in a file name of the form `model-<generation>.recmodel`, or `nil` for
    /// any other name.
    public static func generation(inFileName name: String) -> Int? {
        let prefix = "model-", suffix = "." + ModelFileLayout.fileExtension
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else { return nil }
        return generation(fromDigits: name.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count))
    }

    /// The generations that have a model file, ascending.
    public func generations() throws(ModelFileError) -> [Int] {
        Self.generations(in: try fileNames())
    }

    /// The generations among the file names `names`, ascending.
    static func generations(in names: [String]) -> [Int] {
        names.compactMap(generation(inFileName:)).sorted()
    }

    /// The names in the folder; none if it does not exist yet.
    func fileNames() throws(ModelFileError) -> [String] {
        do throws(SystemCallError) {
            return try SystemCalls.listDirectory(directory)
        } catch  where error.errorNumber == ENOENT {
            return []
        } catch {
            throw ModelFileError(error, path: directory)
        }
    }

    /// The generation `CURRENT` names, or `nil` when there is no `CURRENT` yet.
    ///
    /// `CURRENT` must be a regular file holding a generation number and a newline. It is opened
    /// without following a symbolic link and without blocking on a FIFO, so a `CURRENT` planted
    /// by someone who can write the folder can neither point the service at another file nor
    /// hang it. Anything else is a `.corruptCurrentPointer` error rather than a guess, and the
    /// error describes the file without ever quoting its contents.
    public func currentGeneration() throws(ModelFileError) -> Int? {
        let path = currentPointerPath
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.currentPointerCapacity + 1, alignment: 1)
        defer { buffer.deallocate() }
        var length = 0
        var isRegularFile = true
        do throws(SystemCallError) {
            let descriptor = try SystemCalls.open(path, flags: O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            defer { SystemCalls.close(descriptor) }
            isRegularFile = try SystemCalls.fileStatus(descriptor, subject: path).isRegularFile
            while isRegularFile, length < buffer.count {
                let read = try SystemCalls.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[length...]), subject: path)
                if read == 0 { break }
                length += read
            }
        } catch  where error.errorNumber == ENOENT {
            return nil
        } catch  where error.errorNumber == ELOOP {
            throw ModelFileError(
                .corruptCurrentPointer, path: path,
                reason: "is a symbolic link, which is never followed; publish a model with `rec-cli train` to replace it")
        } catch {
            throw ModelFileError(error, path: path)
        }
        guard isRegularFile else {
            throw ModelFileError(
                .corruptCurrentPointer, path: path,
                reason: "is not a regular file; publish a model with `rec-cli train` to replace it")
        }
        let contents = Array(buffer[..<length])
        var digits = contents[...]
        if digits.last == UInt8(ascii: "\n") { digits = digits.dropLast() }
        guard let generation = Self.generation(fromDigits: digits) else {
            throw ModelFileError(
                .corruptCurrentPointer, path: path,
                reason:
                    "holds \(length > Self.currentPointerCapacity ? "over \(Self.currentPointerCapacity)" : "\(length)") bytes that are not a generation number and a newline; publish a model with `rec-cli train` or write a generation number into it"
            )
        }
        return generation
    }

    /// Opens generation `generation`'s model file (see `LoadedModel.open`).
    public func open(generation: Int, verifyContents: Bool = false) throws(ModelFileError) -> LoadedModel {
        try LoadedModel.open(path: path(forGeneration: generation), generation: generation, verifyContents: verifyContents)
    }

    /// Opens the generation `CURRENT` names.
    ///
    /// With no `CURRENT` yet, the `.noCurrentModel` error tells the user how to train one. If a
    /// publisher moves `CURRENT` and prunes the named file between the read and the open, the
    /// new `CURRENT` is read again.
    public func openCurrent(verifyContents: Bool = false) throws(ModelFileError) -> LoadedModel {
        var attemptsLeft = 3
        while true {
            guard let generation = try currentGeneration() else {
                throw ModelFileError(
                    .noCurrentModel, path: directory,
                    reason: "no trained model yet; run `rec-cli train --dataset=dataset/ratings_train.dat` to train and publish one")
            }
            do throws(ModelFileError) {
                return try open(generation: generation, verifyContents: verifyContents)
            } catch  where error.code == .notFound {
                attemptsLeft -= 1
                guard attemptsLeft > 0, try currentGeneration() != generation else {
                    throw ModelFileError(
                        .notFound, path: error.path,
                        reason: "\(Self.currentPointerName) names generation \(generation) but its model file is missing",
                        systemCallError: error.systemCallError)
                }
            }
        }
    }

    /// The positive number written with `digits` in canonical form (no sign, no leading zero),
    /// or `nil`.
    private static func generation(fromDigits digits: some Collection<UInt8>) -> Int? {
        guard (1...18).contains(digits.count), digits.first != UInt8(ascii: "0"),
            digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
