#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CFastCGI
import Logging
import RecCore

/// One single-threaded worker process: accepts FastCGI connections on the shared listening
/// socket (descriptor 0, the FastCGI convention) and serves one request at a time.
///
/// The loop accepts on the non-blocking listening socket itself and only waits, in `poll`, when
/// no connection is queued; the same `poll` watches the signal pipe and the master's lifeline,
/// so a stop request or the master's death is seen at once while idle, and after the current
/// request while busy. `RequestWatchdog` ends a worker whose request runs past
/// `REC_REQUEST_TIMEOUT_SECONDS`; the master logs it and starts a replacement.
public final class FastCGIWorker {
    /// How one worker runs.
    public struct Settings: Sendable, Equatable {
        /// The listening socket, shared by every worker; 0 by FastCGI convention.
        public var listeningDescriptor: Int32 = 0
        /// The read end of the master's lifeline pipe; end of file means the master is gone.
        public var lifelineDescriptor: Int32 = 3
        /// Requests to serve before exiting for replacement; 0 means no limit.
        public var maximumRequests = 0
        /// The per-request deadline in seconds.
        public var requestTimeoutSeconds: UInt32 = 10
        /// After a stop request, at most this many connections already queued are still served.
        public var drainLimit = 4_096

        /// Settings with the defaults above.
        public init() {}
    }

    /// Why `run()` returned.
    public enum Exit: Sendable, Equatable {
        /// SIGTERM or SIGINT arrived; the current request and the queued ones were served.
        case stopped(signal: Int32, drained: Int)
        /// The request quota was served.
        case recycled(requests: Int)
        /// The master's lifeline closed.
        case masterGone
        /// The worker could not go on; the message says why.
        case failed(String)
    }

    private let settings: Settings
    private let responder: RequestResponder
    private var requestLog: RequestLog
    private var requestMetrics: RequestMetrics
    private let logger: Logger

    /// A worker serving through `handler`, logging each request to `requestLog` and counting it
    /// in `requestMetrics`.
    public init(
        settings: Settings, handler: @escaping APIRequestHandler, requestLog: RequestLog,
        requestMetrics: RequestMetrics = .disabled, logger: Logger
    ) {
        self.settings = settings
        // The handler runs once the whole body is read: from then on the request deadline
        // applies, not the receive deadline.
        self.responder = RequestResponder(handler: { request in
            RequestWatchdog.requestReceived()
            return handler(request)
        })
        self.requestLog = requestLog
        self.requestMetrics = requestMetrics
        self.logger = logger
    }

    /// Serves until stopped, recycled or orphaned; pending request-log lines are written before it returns.
    public func run() -> Exit {
        defer { requestLog.flush() }
        let signalDescriptor: Int32
        do {
            signalDescriptor = try prepare()
        } catch {
            return .failed(error.reason)
        }
        let listening = settings.listeningDescriptor
        let request = FastCGILibrary.makeRequest()
        defer { request.deallocate() }

        var waitSet = [
            pollfd(fd: listening, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signalDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: settings.lifelineDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        var served = 0
        defer { waiting.closeAll() }
        while true {
            if SignalPipe.hasPendingSignals, let stopSignal = stopSignal(in: SignalPipe.takeSignals(from: signalDescriptor)) {
                return .stopped(signal: stopSignal, drained: drainQueue(request))
            }
            if settings.maximumRequests > 0 && served >= settings.maximumRequests {
                return .recycled(requests: served)
            }
            let connection: Int32?
            do {
                connection = try nextArrivedConnection()
            } catch {
                return .failed("cannot accept: \(error)")
            }
            if let connection {
                serve(connection, on: request)
                served += 1
                continue
            }
            requestLog.flush()
            waitSet.removeSubrange(3...)
            waitSet += waiting.pollDescriptors
            do {
                _ = try ServerSystemCalls.poll(
                    &waitSet, timeoutMilliseconds: waiting.millisecondsUntilNextDeadline(now: MonotonicClock.nanoseconds()))
            } catch {
                return .failed("cannot wait for connections: \(error)")
            }
            if waitSet[2].revents != 0 { return .masterGone }
        }
    }

    /// Checks the descriptors the master handed over and sets up signals, the listening
    /// socket, libfcgi and the request watchdog; returns the signal pipe's read end, or the
    /// reason the worker cannot start.
    private func prepare() throws(StartFailure) -> Int32 {
        let listening = settings.listeningDescriptor
        guard ServerSystemCalls.isListeningSocket(listening) else {
            throw StartFailure(reason: "descriptor \(listening) is not a listening socket; rec-fcgi starts its workers itself")
        }
        guard ServerSystemCalls.isPipe(settings.lifelineDescriptor) else {
            throw StartFailure(
                reason: "descriptor \(settings.lifelineDescriptor) is not the master's lifeline pipe; rec-fcgi starts its workers itself")
        }
        do {
            ServerSystemCalls.ignore(SIGPIPE)
            ServerSystemCalls.ignore(SIGHUP)
            ServerSystemCalls.ignore(SIGUSR1)
            let signalDescriptor = try SignalPipe.install(signals: [SIGTERM, SIGINT])
            try ServerSystemCalls.setNonBlocking(listening, subject: "listening socket")
            try FastCGILibrary.initialize()
            try RequestWatchdog.start(timeoutSeconds: settings.requestTimeoutSeconds)
            return signalDescriptor
        } catch {
            throw StartFailure(reason: "cannot start: \(error)")
        }
    }

    /// Why `prepare` failed, for `Exit.failed`.
    private struct StartFailure: Error {
        var reason: String
    }

    /// Connections accepted before their whole request arrived, oldest first.
    private var waiting = WaitingConnections()

    /// The next connection whose request has fully arrived: a waiting one first (they are
    /// older), then newly accepted ones, which wait themselves when their request is not all
    /// there yet. Waiting connections that the peer closed, or that are past the receive
    /// deadline, are closed. Nil when none is ready.
    private func nextArrivedConnection() throws(SystemCallError) -> Int32? {
        if !waiting.isEmpty, let ready = waiting.takeArrived(now: MonotonicClock.nanoseconds(), logger: logger) { return ready }
        while let connection = try ServerSystemCalls.acceptConnection(settings.listeningDescriptor) {
            switch waiting.arrival(of: connection) {
            case (.ready, _)?: return connection
            case (.incomplete, let hasBytes)?:
                waiting.add(connection, now: MonotonicClock.nanoseconds(), hasPartialRequest: hasBytes, logger: logger)
            case nil: SystemCalls.close(connection)
            }
        }
        return nil
    }

    /// The stop signal among `signals`, if any.
    private func stopSignal(in signals: [Int32]) -> Int32? {
        signals.first { $0 == SIGTERM || $0 == SIGINT }
    }

    /// Serves the connections already queued, without waiting for new ones, up to `drainLimit`.
    private func drainQueue(_ request: UnsafeMutablePointer<FCGX_Request>) -> Int {
        var drained = 0
        while drained < settings.drainLimit, let connection = try? nextArrivedConnection() {
            serve(connection, on: request)
            drained += 1
        }
        return drained
    }

    /// Receives, serves and finishes the request on `connection`, under the deadline, then logs
    /// and counts it.
    @inline(__always)
    private func serve(_ connection: Int32, on request: UnsafeMutablePointer<FCGX_Request>) {
        let start = MonotonicClock.nanoseconds()
        RequestWatchdog.requestStarted(at: start, connection: connection)
        defer { RequestWatchdog.requestFinished() }
        do throws(FastCGIError) {
            try FastCGILibrary.receiveRequest(on: request, connection: connection)
        } catch {
            logger.warning("connection closed before its request arrived", metadata: ["error": "\(error)"])
            return
        }
        var exchange = LibraryExchange(request: request)
        let result = responder.respond(to: &exchange)
        // Counted before libfcgi flushes the answer, so a client holding its answer is counted.
        requestMetrics.record(result, latencyNanoseconds: MonotonicClock.nanoseconds() - start)
        FastCGILibrary.finish(request, inputConsumed: result.inputConsumed)
        requestLog.record(result, latencyMicroseconds: (MonotonicClock.nanoseconds() - start) / 1_000)
    }
}
