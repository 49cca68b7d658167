extension TitleSearchIndex {
    /// Calls `body` with each vocabulary word that the query word `word` (the bytes `typed` of
    /// the normalised query) can stand for and its credit, in descending order of credit, so
    /// the first credit a key gets for a query word is its best (see `TitleSearch` for the
    /// credits). A word may come more than once. `rows` is scratch memory of at least
    /// `TitleSearch.scratchRowCount` integers.
    func forEachMatch(
        of word: TitleSearchQuery.Word, typed: UnsafeRawBufferPointer, rows: UnsafeMutableBufferPointer<Int>,
        _ body: (_ word: Int, _ credit: Float) -> Void
    ) {
        wordBytes.withUnsafeBytes { vocabulary in
            let context = MatchContext(index: self, vocabulary: vocabulary)
            if let exact = context.position(of: typed) { body(exact, TitleSearch.exactCredit) }
            word.numeral.withUnsafeBytes { numeral in
                if !numeral.isEmpty, let exact = context.position(of: numeral) { body(exact, TitleSearch.exactCredit) }
            }
            if word.isLast || typed.count >= WordSimilarity.shortestPrefix {
                let credit = word.isLast ? TitleSearch.typedPrefixCredit : TitleSearch.prefixCredit
                for id in context.range(startingWith: typed) where context.word(id).count > typed.count { body(id, credit) }
            }
            guard !word.isDigits, typed.count >= TitleSearch.shortestTypoWord, typed.count <= WordSimilarity.longestTypoWord else { return }
            context.forEachTypo(of: typed, rows: rows) { body($0, TitleSearch.typoCredit) }
            if word.isLast {
                context.forEachTypoInPrefix(of: typed, rows: rows) { body($0, TitleSearch.typedPrefixTypoCredit) }
            }
        }
    }

    /// The postings of vocabulary word `word`: `entry << 8 | position` for each occurrence.
    func postings(ofWord word: Int) -> ArraySlice<UInt32> {
        postings[Int(postingStarts[word])..<Int(postingStarts[word + 1])]
    }
}

/// The vocabulary of a `TitleSearchIndex` with its bytes at hand, for one query word's lookups.
private struct MatchContext {
    let index: TitleSearchIndex
    let vocabulary: UnsafeRawBufferPointer

    /// The bytes of word `id`.
    func word(_ id: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: vocabulary[Int(index.wordStarts[id])..<Int(index.wordStarts[id + 1])])
    }

    /// The id of the word equal to `bytes`, or nil.
    func position(of bytes: UnsafeRawBufferPointer) -> Int? {
        let position = (0..<index.wordCount).partitioningIndex { word($0).lexicographicallyPrecedes(bytes) }
        return position < index.wordCount && word(position).elementsEqual(bytes) ? position : nil
    }

    /// The ids of the words that start with `prefix` (itself included), one contiguous range
    /// of the sorted vocabulary.
    func range(startingWith prefix: UnsafeRawBufferPointer) -> Range<Int> {
        let start = (0..<index.wordCount).partitioningIndex { word($0).lexicographicallyPrecedes(prefix) }
        var end = start
        while end < index.wordCount, Self.starts(word(end), with: prefix) { end += 1 }
        return start..<end
    }

    static func starts(_ word: UnsafeRawBufferPointer, with prefix: UnsafeRawBufferPointer) -> Bool {
        word.count >= prefix.count && UnsafeRawBufferPointer(rebasing: word[0..<prefix.count]).elementsEqual(prefix)
    }

    /// Calls `body` with each word that is a typo of `typed` and does not start with it:
    /// both at least `TitleSearch.shortestTypoWord` bytes, within one edit, or two when both
    /// have at least `WordSimilarity.shortestDoubleTypoWord`. Only words of nearby lengths are read.
    func forEachTypo(of typed: UnsafeRawBufferPointer, rows: UnsafeMutableBufferPointer<Int>, _ body: (Int) -> Void) {
        let letters = WordSimilarity.letterPresence(typed)
        let lengths = max(typed.count - 2, TitleSearch.shortestTypoWord)...(typed.count + 2)
        for length in lengths where length + 1 < index.lengthStarts.count {
            let limit = min(length, typed.count) >= WordSimilarity.shortestDoubleTypoWord ? 2 : 1
            guard abs(length - typed.count) <= limit else { continue }
            for slot in Int(index.lengthStarts[length])..<Int(index.lengthStarts[length + 1]) {
                let id = Int(index.wordsByLength[slot])
                guard (letters ^ index.wordLetters[id]).nonzeroBitCount <= 2 * limit else { continue }
                let candidate = word(id)
                guard !Self.starts(candidate, with: typed),
                    WordSimilarity.editDistance(typed, candidate, limit: limit, rows: rows) <= limit
                else { continue }
                body(id)
            }
        }
    }

    /// Calls `body` with each word whose beginning is one edit from `typed`, the word being
    /// typed, and that does not start with it exactly. The first byte must be right, which
    /// keeps the scan to the words sharing it.
    func forEachTypoInPrefix(of typed: UnsafeRawBufferPointer, rows: UnsafeMutableBufferPointer<Int>, _ body: (Int) -> Void) {
        let letters = WordSimilarity.letterPresence(typed)
        for id in range(startingWith: UnsafeRawBufferPointer(rebasing: typed[0..<1])) {
            let candidate = word(id)
            guard candidate.count > typed.count, !Self.starts(candidate, with: typed) else { continue }
            let beginning = UnsafeRawBufferPointer(rebasing: candidate[0..<min(candidate.count, typed.count + 1)])
            guard (letters ^ WordSimilarity.letterPresence(beginning)).nonzeroBitCount <= 4,
                WordSimilarity.prefixEditDistance(of: typed, toStartOf: candidate, limit: 1, rows: rows) <= 1
            else { continue }
            body(id)
        }
    }
}
