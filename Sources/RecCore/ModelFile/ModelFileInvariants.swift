import RecTitleMatching

/// The rules the contents of a model file follow, beyond sizes: ids ascending, offsets and
/// indices in range.
///
/// The writer checks an artifact against them before writing and the reader checks a mapped
/// file against them on open, with the same code, so everything the writer accepts opens and
/// nothing the reader accepts can make a lookup read outside the map. Each check is one pass
/// over an item- or user-sized array, cheap enough for the open-time budget.
enum ModelFileInvariants {
    /// A broken rule, as a sentence; the caller adds the file and the error code.
    struct Violation: Error {
        /// What was wrong, for example `movie ids are not strictly ascending at index 3 (7 then 7)`.
        var reason: String
    }

    /// Checks that `ids` strictly ascend, which binary-search lookups rely on.
    static func checkStrictlyAscending(_ ids: UnsafeBufferPointer<Int32>, name: String) throws(Violation) {
        guard ids.count > 1 else { return }
        for index in 1..<ids.count where ids[index - 1] >= ids[index] {
            throw Violation(reason: "\(name) are not strictly ascending at index \(index) (\(ids[index - 1]) then \(ids[index]))")
        }
    }

    /// Checks that no count in `counts` is negative.
    static func checkNonNegative(_ counts: UnsafeBufferPointer<Int32>, name: String) throws(Violation) {
        if let index = counts.firstIndex(where: { $0 < 0 }) {
            throw Violation(reason: "\(name) has a negative value at index \(index) (\(counts[index]))")
        }
    }

    /// Checks that `offsets` start at 0, ascend, and end at `byteCount`, so every string of a
    /// string table lies inside its bytes.
    static func checkStringOffsets(_ offsets: UnsafeBufferPointer<UInt32>, byteCount: Int, name: String) throws(Violation) {
        guard offsets.first == 0, offsets.last.map(Int.init) == byteCount else {
            throw Violation(reason: "\(name) offsets must run from 0 to the \(byteCount) bytes of the strings")
        }
        for index in 1..<offsets.count where offsets[index - 1] > offsets[index] {
            throw Violation(reason: "\(name) offsets descend at index \(index) (\(offsets[index - 1]) then \(offsets[index]))")
        }
    }

    /// Checks the whole title-match index: its keys (see `checkTitleKeys`) and its trigram
    /// postings, which must be empty or have ascending trigrams, offsets running from 0 to the
    /// postings' length, and positions inside the entries.
    static func checkTitleIndex(_ index: TitleIndexView, itemCount: Int) throws(Violation) {
        try checkTitleKeys(index.entries, keyByteCount: index.keyBytes.count, itemCount: itemCount)
        let trigrams = index.trigrams, starts = index.trigramPostingStarts, postings = index.trigramPostings
        if trigrams.isEmpty && starts.count <= 1 && postings.isEmpty { return }
        guard starts.count == trigrams.count + 1, starts.first == 0, starts.last.map(Int.init) == postings.count else {
            throw Violation(
                reason:
                    "title trigram offsets must be one more than the \(trigrams.count) trigrams and run from 0 to the \(postings.count) postings"
            )
        }
        for position in 1..<starts.count where starts[position - 1] > starts[position] {
            throw Violation(reason: "title trigram offsets descend at index \(position)")
        }
        if trigrams.count > 1 {
            for position in 1..<trigrams.count where trigrams[position - 1] >= trigrams[position] {
                throw Violation(reason: "title trigrams are not strictly ascending at index \(position)")
            }
        }
        if let position = postings.firstIndex(where: { Int($0) >= index.entries.count }) {
            throw Violation(reason: "title trigram posting \(position) points at entry \(postings[position]) of \(index.entries.count)")
        }
    }

    /// Checks that every title-match entry's key lies inside `keyByteCount` bytes and points at
    /// one of `itemCount` items.
    static func checkTitleKeys(_ entries: UnsafeBufferPointer<TitleKeyEntry>, keyByteCount: Int, itemCount: Int) throws(Violation) {
        for (index, entry) in entries.enumerated() {
            guard UInt64(entry.keyOffset) + UInt64(entry.keyLength) <= UInt64(keyByteCount) else {
                throw Violation(
                    reason:
                        "title key \(index) spans bytes \(entry.keyOffset) to \(UInt64(entry.keyOffset) + UInt64(entry.keyLength)) of only \(keyByteCount) key bytes"
                )
            }
            guard entry.item >= 0, Int(entry.item) < itemCount else {
                throw Violation(reason: "title key \(index) points at item \(entry.item) of \(itemCount)")
            }
        }
    }

    /// Checks that every value is finite and greater than zero, as a ridge penalty must be.
    static func checkPositive(_ values: UnsafeBufferPointer<Float>, name: String) throws(Violation) {
        if let index = values.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw Violation(reason: "\(name) has a value that is not finite and positive at index \(index) (\(values[index]))")
        }
    }

    /// Checks that every neighbour slot is an item index below `itemCount` or `-1` (empty).
    static func checkNeighbourItems(_ items: UnsafeBufferPointer<Int32>, itemCount: Int) throws(Violation) {
        if let index = items.firstIndex(where: { $0 < -1 || Int($0) >= itemCount }) {
            throw Violation(reason: "neighbour slot \(index) holds item \(items[index]), not -1 or an index below \(itemCount)")
        }
    }

    /// Checks that `offsets` start at 0, ascend, and end at `count`.
    static func checkOffsets(_ offsets: UnsafeBufferPointer<UInt32>, endingAt count: Int, name: String) throws(Violation) {
        guard offsets.first == 0, offsets.last.map(Int.init) == count else {
            throw Violation(reason: "the \(name) offsets must run from 0 to the \(count) entries")
        }
        for index in 1..<offsets.count where offsets[index - 1] > offsets[index] {
            throw Violation(reason: "the \(name) offsets descend at index \(index)")
        }
    }

    /// Checks each training user's rated items: `starts` runs from 0 to the item count in
    /// ascending order, and each user's items strictly ascend inside `0..<itemCount`.
    static func checkRatedItems(starts: UnsafeBufferPointer<UInt32>, items: UnsafeBufferPointer<Int32>, itemCount: Int) throws(Violation) {
        try checkOffsets(starts, endingAt: items.count, name: "rated-item")
        for user in 0..<(starts.count - 1) {
            let start = Int(starts[user]), end = Int(starts[user + 1])
            var previous: Int32 = -1
            for position in start..<end {
                let item = items[position]
                guard item > previous, Int(item) < itemCount else {
                    throw Violation(
                        reason:
                            "user \(user)'s rated items are not strictly ascending item indices below \(itemCount) at position \(position) (\(item))"
                    )
                }
                previous = item
            }
        }
    }

    /// The largest magnitude a bias or factor may have. Trained values stay within a few
    /// units; the bound keeps every dot product of up to 2¹⁵ factors far from overflowing to
    /// infinity, so no prediction can come out infinite or NaN.
    static let largestParameterMagnitude: Float = 10_000

    /// Checks that every value is finite and, with `magnitudeLimit`, at most that in magnitude.
    ///
    /// Runs over whole factor matrices when a generation is validated, so it tests 16 floats
    /// at a time: a float is infinite or NaN exactly when all its exponent bits are set.
    static func checkFinite(_ values: UnsafeBufferPointer<Float>, name: String, magnitudeLimit: Float = .infinity) throws(Violation) {
        guard let base = values.baseAddress else { return }
        let exponent = SIMD16<UInt32>(repeating: 0x7F80_0000)
        let magnitude = SIMD16<UInt32>(repeating: 0x7FFF_FFFF)
        let limitBits = SIMD16<UInt32>(repeating: magnitudeLimit.bitPattern)
        let raw = UnsafeRawPointer(base)
        var start = 0
        while start + 16 <= values.count {
            let bits = raw.loadUnaligned(fromByteOffset: start * 4, as: SIMD16<UInt32>.self)
            // For finite floats, comparing the magnitude's bits orders them like the values.
            if any((bits & exponent) .== exponent) || any((bits & magnitude) .> limitBits) { break }
            start += 16
        }
        if let index = values[start...].firstIndex(where: { !$0.isFinite || abs($0) > magnitudeLimit }) {
            let problem = values[index].isFinite ? "larger in magnitude than \(magnitudeLimit)" : "not finite"
            throw Violation(reason: "\(name) has a value that is \(problem) at index \(index) (\(values[index]))")
        }
    }
}
