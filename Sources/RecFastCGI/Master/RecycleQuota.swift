/// The number of requests after which one worker is replaced: `REC_MAX_REQUESTS`, spread by
/// ±10% per worker.
///
/// Workers started together would otherwise reach the same count at about the same moment and
/// all restart at once; the spread staggers them. The spread is drawn from a generator the
/// caller owns, so the master's decisions stay reproducible in tests.
public enum RecycleQuota {
    /// The default spread: ±10%.
    public static let defaultSpread = 0.1

    /// `base` moved by a random fraction of up to `spread` either way, at least 1; 0 (never
    /// recycle) stays 0.
    public static func jittered(_ base: Int, spread: Double = defaultSpread, using generator: inout some RandomNumberGenerator) -> Int {
        guard base > 0 else { return 0 }
        let reach = Int((Double(base) * spread).rounded(.down))
        guard reach > 0 else { return base }
        return max(base + Int.random(in: -reach...reach, using: &generator), 1)
    }
}
