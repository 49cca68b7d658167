#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import RecCore

/// The connections a worker has accepted whose request has not fully arrived, so that it never
/// blocks on one (see `FastCGIRequestArrival`): the worker goes on serving ready connections and
/// polls these with its listening socket. Each is closed when its peer closes it, or once it has
/// waited `RequestWatchdog.receiveTimeoutSeconds`; beyond `capacity`, the oldest is closed.
///
/// nginx's connections are ready as soon as they are accepted, so under normal traffic this
/// stays empty and costs one `recv(MSG_PEEK)` per request.
struct WaitingConnections: ~Copyable {
    /// The most connections one worker keeps waiting.
    static let capacity = 64

    /// Each waiting connection, since when it waits, and whether part of its request is there
    /// (then `poll` would report it readable at once, so it is looked at again on a timer).
    private var entries: [(descriptor: Int32, since: Int64, hasPartialRequest: Bool)] = []
    /// How often connections holding part of a request are looked at again.
    private static let partialRecheckMilliseconds: Int32 = 20
    /// Room for a whole request: the 64 KiB body limit plus its parameters and record headers.
    private let peekBuffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: ServingConfiguration.requestBodyLimit + 16 * 1024,
        alignment: 8)
    private let limit = Int64(RequestWatchdog.receiveTimeoutSeconds) * 1_000_000_000

    deinit {
        for entry in entries { SystemCalls.close(entry.descriptor) }
        peekBuffer.deallocate()
    }

    var isEmpty: Bool { entries.isEmpty }

    /// What to `poll` for: readability of the connections that have sent nothing yet, and only
    /// hang-ups of those that sent part of a request.
    var pollDescriptors: [pollfd] {
        entries.map { pollfd(fd: $0.descriptor, events: $0.hasPartialRequest ? 0 : Int16(POLLIN), revents: 0) }
    }

    /// Whether `connection`'s request has arrived, and whether any of it has; nil when the
    /// peer closed it.
    func arrival(of connection: Int32) -> (arrival: FastCGIRequestArrival, hasBytes: Bool)? {
        switch ServerSystemCalls.peek(connection, into: peekBuffer) {
        case .bytes(let count):
            return (
                FastCGIRequestArrival.classify(
                    UnsafeRawBufferPointer(rebasing: peekBuffer[0..<count]),
                    isBufferFull: count == peekBuffer.count), true
            )
        case .nothing:
            return (.incomplete, false)
        case .closed:
            return nil
        }
    }

    /// Keeps `connection` waiting from `now`; `hasPartialRequest` when part of it is there.
    mutating func add(_ connection: Int32, now: Int64, hasPartialRequest: Bool, logger: Logger) {
        if entries.count >= Self.capacity {
            SystemCalls.close(entries.removeFirst().descriptor)
            logger.warning("too many connections waiting for their request; closed the oldest", metadata: ["capacity": "\(Self.capacity)"])
        }
        entries.append((connection, now, hasPartialRequest))
    }

    /// Removes and returns the oldest waiting connection whose request has arrived; closes
    /// those that were closed by their peer or have waited too long.
    mutating func takeArrived(now: Int64, logger: Logger) -> Int32? {
        var index = 0
        while index < entries.count {
            let entry = entries[index]
            switch arrival(of: entry.descriptor) {
            case (.ready, _)?:
                entries.remove(at: index)
                return entry.descriptor
            case (.incomplete, let hasBytes)? where now - entry.since <= limit:
                entries[index].hasPartialRequest = hasBytes
                index += 1
            case (.incomplete, _)?:
                entries.remove(at: index)
                SystemCalls.close(entry.descriptor)
                logger.warning(
                    "closed a connection that did not deliver its request in time",
                    metadata: ["receive_timeout_seconds": "\(RequestWatchdog.receiveTimeoutSeconds)"])
            case nil:
                entries.remove(at: index)
                SystemCalls.close(entry.descriptor)
            }
        }
        return nil
    }

    /// How long `poll` may wait before the oldest waiting connection is due: -1 (forever) when
    /// none waits.
    func millisecondsUntilNextDeadline(now: Int64) -> Int32 {
        guard let oldest = entries.first?.since else { return -1 }
        let remaining = oldest + limit - now
        let untilDeadline = remaining <= 0 ? 0 : Int32(min((remaining + 999_999) / 1_000_000, 60_000))
        return entries.contains(where: \.hasPartialRequest) ? min(untilDeadline, Self.partialRecheckMilliseconds) : untilDeadline
    }

    /// Closes every waiting connection.
    mutating func closeAll() {
        for entry in entries { SystemCalls.close(entry.descriptor) }
        entries.removeAll()
    }
}
