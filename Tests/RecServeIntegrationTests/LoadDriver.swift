import Foundation

/// What a load run saw: requests sent, those that did not get the expected answer, and a
/// few of the failures for the test's message.
struct LoadTally: Sendable, CustomStringConvertible {
    /// Requests that got an answer or failed.
    var sent = 0
    /// Requests without the expected status, or without any answer.
    var failed = 0
    /// Of `failed`, those that got no HTTP answer at all (refused or reset connections).
    var unanswered = 0
    /// Up to ten failures, as text.
    var examples: [String] = []

    var description: String {
        "\(sent) sent, \(failed) failed (\(unanswered) without an answer)\(examples.isEmpty ? "" : ": " + examples.joined(separator: "; "))"
    }
}

/// Sends requests from several threads without pause until stopped, like the clients the
/// fault tests put the pool under.
final class LoadDriver: @unchecked Sendable {
    private let lock = NSLock()
    private var tally = LoadTally()
    private var stopping = false
    private var threads: [Thread] = []
    private let finished = DispatchGroup()

    /// Starts `clients` threads that each send `request` in a loop; a response whose status
    /// is not `expectedStatus` counts as failed. With `stopOnRefusal`, a client that cannot
    /// connect stops instead of counting a failure (the server has stopped listening).
    init(
        clients: Int, stopOnRefusal: Bool = false, expectedStatus: Int = 200,
        request: @escaping @Sendable () throws -> HTTPResponse
    ) {
        for _ in 0..<clients {
            finished.enter()
            let thread = Thread { [self] in
                defer { finished.leave() }
                while !isStopping {
                    do {
                        let response = try request()
                        record(failure: response.status == expectedStatus ? nil : "\(response.status) \(response.text.prefix(200))")
                    } catch {
                        if stopOnRefusal && "\(error)".contains("connect to port") { return }
                        record(failure: "\(error)", answered: false)
                    }
                }
            }
            threads.append(thread)
            thread.start()
        }
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func record(failure: String?, answered: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        tally.sent += 1
        if let failure {
            tally.failed += 1
            if !answered { tally.unanswered += 1 }
            if tally.examples.count < 10 { tally.examples.append(failure) }
        }
    }

    /// The tally so far.
    var current: LoadTally {
        lock.lock()
        defer { lock.unlock() }
        return tally
    }

    /// Stops the clients, waits for their last requests, and returns the tally.
    func stop() -> LoadTally {
        lock.lock()
        stopping = true
        lock.unlock()
        finished.wait()
        return current
    }

    /// Waits until every client has returned on its own (after `stopOnRefusal`), up to `seconds`.
    func waitForClients(seconds: Double) -> Bool {
        finished.wait(timeout: .now() + seconds) == .success
    }
}
