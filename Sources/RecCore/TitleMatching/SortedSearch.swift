extension RandomAccessCollection where Index == Int {
    /// The first position whose element does not satisfy `precedes`, in a collection where
    /// every element satisfying it comes first (a sorted one, for `{ $0 < value }`): a binary
    /// search for where `value` is or would go.
    func partitioningIndex(where precedes: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if precedes(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The position of `value` in this ascending collection, or nil when it is absent.
    func sortedPosition(of value: Element) -> Int? where Element: Comparable {
        let position = partitioningIndex { $0 < value }
        return position < endIndex && self[position] == value ? position : nil
    }
}
