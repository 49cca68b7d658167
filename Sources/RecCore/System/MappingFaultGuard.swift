#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Turns a `SIGBUS` inside a model mapping into a flag instead of a crash.
///
/// A file mapped with `MAP_SHARED` faults with `SIGBUS` where someone truncated it after it was
/// mapped. Once `install()` has run (serving workers call it at start), the handler looks the
/// faulting address up among the registered mappings. Inside one, it maps anonymous zero pages
/// over that whole mapping, marks it damaged and returns, so the interrupted read sees zeros
/// and the request runs to its end; `LoadedModel.isUnchangedOnDisk` then reports the damage
/// and the answer is replaced by a 503. Any other `SIGBUS` gets the action that was installed
/// before, by re-raising through it, so real bugs still crash with a backtrace.
///
/// The handler only reads a fixed table of slots and calls `mmap`, so it takes no lock and
/// allocates nothing. Registration is rare (once per generation) and behind a mutex.
public enum MappingFaultGuard {
    /// How many mappings can be guarded at once: a worker maps at most a few generations
    /// while requests finish on old ones; beyond this, mappings are simply unguarded.
    static let slotCount = 32

    /// One guarded mapping: `start..<end`, and whether the handler replaced it.
    struct Slot {
        var start: UInt = 0
        var end: UInt = 0
        var damaged: UInt = 0
    }

    /// The guarded mappings; slot `i` is free while its `start` is 0. Allocated once, never
    /// freed, and read by the signal handler, hence unsafe shared state behind `registration`.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Slot> = {
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(), count: slotCount)
        return slots
    }()
    private static let registration = Mutex(false)
    nonisolated(unsafe) private static var previousAction = sigaction()

    /// Installs the `SIGBUS` handler once per process; later calls do nothing.
    public static func install() {
        registration.withLock { installed in
            guard !installed else { return }
            _ = slots
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { signal, info, _ in
                let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
                if MappingFaultGuard.replaceMapping(containing: address) { return }
                // Not a guarded mapping: put the previous action back; returning re-executes
                // the faulting instruction, which now reaches it.
                _ = sigaction(signal, &MappingFaultGuard.previousAction, nil)
            }
            action.sa_flags = SA_SIGINFO | SA_NODEFER
            sigemptyset(&action.sa_mask)
            _ = sigaction(SIGBUS, &action, &previousAction)
            installed = true
        }
    }

    /// Guards `bytes` until `unregister` is called with the returned slot; `nil` when every
    /// slot is taken or `bytes` is empty.
    package static func register(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        return registration.withLock { _ in
            for index in 0..<slotCount where slots[index].start == 0 {
                slots[index].end = UInt(bitPattern: base) + UInt(bytes.count)
                slots[index].damaged = 0
                slots[index].start = UInt(bitPattern: base)
                return index
            }
            return nil
        }
    }

    /// Stops guarding the mapping in `slot`; call before unmapping it.
    package static func unregister(_ slot: Int) {
        registration.withLock { _ in
            slots[slot].start = 0
            slots[slot].end = 0
            slots[slot].damaged = 0
        }
    }

    /// Whether the handler replaced the mapping in `slot` with zero pages.
    package static func isDamaged(_ slot: Int) -> Bool {
        registration.withLock { _ in slots[slot].damaged != 0 }
    }

    /// Called from the signal handler: replaces the guarded mapping holding `address` with
    /// anonymous zero pages of the same size and marks it damaged. Async-signal-safe.
    private static func replaceMapping(containing address: UInt) -> Bool {
        for index in 0..<slotCount {
            let start = slots[index].start
            guard start != 0, address >= start, address < slots[index].end else { continue }
            let replaced = mmap(
                UnsafeMutableRawPointer(bitPattern: start), Int(slots[index].end - start), PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            guard replaced != MAP_FAILED else { return false }
            slots[index].damaged = 1
            return true
        }
        return false
    }
}
