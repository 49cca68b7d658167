import Dispatch
import Synchronization

/// Runs a body on several threads at once and waits for all of them.
///
/// Training loops split users or items into contiguous chunks and hand each thread one; the
/// body gets its thread number so it can pick its chunk and its own random stream.
package enum ParallelLoop {
    /// Calls `body(thread)` for every `thread` in `0..<threadCount`, concurrently when
    /// `threadCount > 1`, and returns when all calls have returned.
    package static func run(threadCount: Int, _ body: @Sendable (Int) -> Void) {
        if threadCount <= 1 {
            body(0)
            return
        }
        DispatchQueue.concurrentPerform(iterations: threadCount, execute: body)
    }

    /// The half-open range of `total` items that thread `thread` of `threadCount` handles.
    package static func chunk(_ thread: Int, of threadCount: Int, total: Int) -> Range<Int> {
        let start = total * thread / threadCount
        let end = total * (thread + 1) / threadCount
        return start..<end
    }
}

/// Raw memory shared by the threads of a parallel loop.
///
/// Either each thread writes its own part (the dense matrix routines), or, in Hogwild-style
/// SGD, concurrent updates to the same factor row may race: that is the accepted trade-off
/// (rare, tiny lost updates), so the pointer is deliberately shared unchecked.
package struct SharedMutablePointer<Element>: @unchecked Sendable {
    /// The shared memory.
    package let base: UnsafeMutablePointer<Element>

    /// Shares `base` with the threads of a loop.
    package init(base: UnsafeMutablePointer<Element>) { self.base = base }
}

/// Read-only memory shared by the threads of a parallel loop.
package struct SharedPointer<Element>: @unchecked Sendable {
    /// The shared memory.
    package let base: UnsafePointer<Element>

    /// Shares `base` with the threads of a loop.
    package init(base: UnsafePointer<Element>) { self.base = base }
}

/// One result slot per thread of a parallel loop, each filled by its own thread.
package final class ParallelResults<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    /// `count` empty slots.
    package init(count: Int) {
        slots = Mutex([Value?](repeating: nil, count: count))
    }

    /// Fills slot `index`.
    package func set(_ index: Int, _ value: Value) {
        slots.withLock { $0[index] = value }
    }

    /// The filled slots' values, in slot order.
    package var values: [Value] {
        slots.withLock { $0.compactMap { $0 } }
    }
}
