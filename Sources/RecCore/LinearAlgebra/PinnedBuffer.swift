/// A fixed-length run of values in memory that this object allocates and frees, so that a hot
/// loop can hold raw pointers into it for as long as it holds the object.
///
/// A Swift array's storage may only be addressed inside `withUnsafeBufferPointer`, which costs
/// one closure level per array: a Gibbs sweep that reads seven arrays nested seven closures
/// deep. A sampler's read-only inputs are copied into pinned buffers once per chain instead,
/// and the sweep passes their `base` addresses around directly.
final class PinnedBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    /// The first element; valid until this object is released.
    let base: UnsafeMutablePointer<Element>
    /// The number of elements.
    let count: Int

    /// A copy of `values`.
    init(_ values: [Element]) {
        count = values.count
        base = .allocate(capacity: max(count, 1))
        values.withUnsafeBufferPointer { values in
            if let source = values.baseAddress { base.initialize(from: source, count: count) }
        }
    }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: count)
    }

    deinit { base.deallocate() }

    /// The element at `index`, which must be in `0..<count`.
    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// The elements, read-only.
    var pointer: UnsafePointer<Element> { UnsafePointer(base) }
}
