import Foundation
import Glibc
import Testing
import RecFastCGI

/// Runs the real `rec-fcgi` binary (master and workers) and talks FastCGI to it, the way nginx
/// does: hello route, 404, 413, a killed worker replaced, recycling, and a clean SIGTERM drain.
@Suite(.serialized)
struct WorkerPoolProcessTests {
    /// The `rec-fcgi` built next to the test bundle, or `REC_FCGI_BINARY` when set.
    static let binary: String = {
        if let override = ProcessInfo.processInfo.environment["REC_FCGI_BINARY"] { return override }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rec-fcgi").path
    }()

    /// A running pool in its own data folder.
    final class Pool {
        let folder: TemporaryFolder
        let process = Process()
        var socketPath: String { folder.path + "/run/rec-fcgi.sock" }
        var logFile: String { folder.path + "/log_file.log" }

        init(environment extra: [String: String] = [:]) throws {
            folder = try TemporaryFolder()
            process.executableURL = URL(fileURLWithPath: WorkerPoolProcessTests.binary)
            var environment = ProcessInfo.processInfo.environment
            environment["REC_DATA_DIR"] = folder.path
            environment["REC_WORKERS"] = "2"
            environment["REC_HELLO_ROUTE"] = "1"
            environment["REC_GRACE_SECONDS"] = "5"
            environment.removeValue(forKey: "REC_LISTEN")
            environment.removeValue(forKey: "REC_LOG_LEVEL")
            for (key, value) in extra { environment[key] = value }
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try waitUntil("the socket exists") { self.workers().count == 2 && FileManager.default.fileExists(atPath: self.socketPath) }
        }

        /// Kills the master and its workers, and waits for the workers too: a worker that
        /// outlived its master would log that the master is gone into a folder already removed,
        /// creating it again.
        deinit {
            let orphans = workers()
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            for worker in orphans { kill(worker, SIGKILL) }
            try? WorkerPoolProcessTests.waitUntil("the workers are gone", seconds: 5) {
                orphans.allSatisfy(WorkerPoolProcessTests.hasExited)
            }
        }

        /// The master's children.
        func workers() -> [Int32] {
            let text =
                (try? String(
                    contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }

        func log() -> String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

        func get(_ path: String, requestID: String = "test-id") throws -> FastCGITestClient.Response {
            try FastCGITestClient.send(
                to: socketPath,
                parameters: [
                    ("REQUEST_METHOD", "GET"), ("DOCUMENT_URI", path), ("QUERY_STRING", ""), ("CONTENT_LENGTH", ""),
                    ("REQUEST_ID", requestID),
                ])
        }
    }

    static func waitUntil(_ what: String, seconds: Double = 10, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { throw FastCGITestClient.Failure(description: "timed out waiting until \(what)") }
            usleep(20_000)
        }
    }

    private func waitUntil(_ what: String, seconds: Double = 10, _ condition: () -> Bool) throws {
        try Self.waitUntil(what, seconds: seconds, condition)
    }

    @Test func servesTheHelloRouteAnd404AndLogsEachRequest() throws {
        let pool = try Pool()
        let hello = try pool.get("/bench/hello", requestID: "hello-1")
        #expect(hello.status == 200)
        #expect(hello.body == #"{"hello":"world"}"#)
        let missing = try pool.get("/api/nothing", requestID: "missing-1")
        #expect(missing.status == 404)
        #expect(missing.body.hasPrefix(#"{"error":{"code":"not_found","#))
        #expect(missing.body.contains(#""request_id":"missing-1""#))
        try waitUntil("both requests are logged") {
            pool.log().contains("request_id=hello-1 status=200") && pool.log().contains("request_id=missing-1 status=404")
        }
    }

    @Test func survivesAConnectionThatClosesBeforeItsRequest() throws {
        let pool = try Pool()
        for _ in 0..<3 {
            close(try FastCGITestClient.connect(to: pool.socketPath))
        }
        #expect(try pool.get("/bench/hello").status == 200)
        #expect(pool.workers().count == 2)
        #expect(!pool.log().contains("worker died"))
    }

    /// Connections that never send their request (more of them than workers) are cut after the
    /// receive deadline: the workers live on and answer the next request, long before the
    /// 10 s request deadline would have killed them.
    @Test func idleConnectionsAreCutWithoutCostingAWorker() throws {
        let pool = try Pool()
        let before = Set(pool.workers())
        let idle = try (0..<4).map { _ in try FastCGITestClient.connect(to: pool.socketPath) }
        defer { idle.forEach { close($0) } }
        let started = Date()
        #expect(try pool.get("/bench/hello").status == 200)
        #expect(Date().timeIntervalSince(started) < 8, "answered before any request deadline")
        for descriptor in idle {
            var byte: UInt8 = 0
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            #expect(recv(descriptor, &byte, 1, 0) == 0, "the worker closed the idle connection")
        }
        #expect(Set(pool.workers()) == before, "no worker died or was replaced")
        #expect(!pool.log().contains("deadline"))
    }

    /// Started as root, the master and its workers run as `REC_USER` (default `nobody`) once the
    /// socket is open, and that user owns what serving writes; the socket stays root's, 0660.
    @Test(.enabled(if: geteuid() == 0, "only a root-started pool drops privileges"))
    func aPoolStartedAsRootRunsAsAnUnprivilegedUser() throws {
        let pool = try Pool()
        let nobody = try #require(ServerSystemCalls.user(named: "nobody"))
        for pid in [pool.process.processIdentifier] + pool.workers() {
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let uids = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(whereSeparator: { $0 == "\t" || $0 == " " })
                .dropFirst().compactMap { UInt32($0) }
            #expect(uids == [nobody.userID, nobody.userID, nobody.userID, nobody.userID], "process \(pid): \(String(describing: uids))")
        }
        #expect(try pool.get("/bench/hello").status == 200)
        let owner = try FileManager.default.attributesOfItem(atPath: pool.folder.path)[.ownerAccountID] as? NSNumber
        #expect(owner?.uint32Value == nobody.userID)
        let socketOwner = try FileManager.default.attributesOfItem(atPath: pool.socketPath)[.ownerAccountID] as? NSNumber
        #expect(socketOwner?.uint32Value == 0)
        try waitUntil("the switch is logged") { pool.log().contains("running as an unprivileged user") }
    }

    @Test func anUnknownServiceUserIsAClearStartupError() throws {
        guard geteuid() == 0 else { return }
        let folder = try TemporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        var environment = ProcessInfo.processInfo.environment
        environment["REC_DATA_DIR"] = folder.path
        environment["REC_USER"] = "no-such-user-recserve"
        environment.removeValue(forKey: "REC_LISTEN")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let log = (try? String(contentsOfFile: folder.path + "/log_file.log", encoding: .utf8)) ?? ""
        #expect(log.contains("REC_USER=no-such-user-recserve names no user"))
    }

    /// `/api/metrics` adds up every worker's slot of the shared counters file, and a worker killed
    /// outright leaves its counts behind for its replacement, which continues them.
    @Test func metricsAddUpOverTheWorkersAndOutliveAKilledOne() throws {
        let pool = try Pool()
        for index in 0..<20 { #expect(try pool.get("/bench/hello", requestID: "metrics-\(index)").status == 200) }
        try waitUntil("the requests are logged") { pool.log().components(separatedBy: "path=/bench/hello").count == 21 }
        let servers = Set(
            pool.log().split(separator: "\n").filter { $0.contains("path=/bench/hello") }.compactMap { line in
                line.split(separator: "[").dropFirst().first?.split(separator: "]").first.flatMap { Int32($0) }
            })
        let victim = try #require(servers.first)
        kill(victim, SIGKILL)
        try waitUntil("the killed worker is replaced") { !pool.workers().contains(victim) && pool.workers().count == 2 }
        let metrics = try pool.get("/api/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"recserve_requests_total{endpoint="other",status="200"} 20"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"recserve_request_duration_seconds_count{endpoint="other"} 20"#))
        #expect(metrics.body.contains("recserve_worker_restarts_total 1\n"))
        #expect(metrics.body.contains("recserve_served_generation 0\n"), "no model is served")
        let again = try pool.get("/api/metrics")
        #expect(again.body.contains(#"recserve_requests_total{endpoint="/api/metrics",status="200"} 1"#))
        #expect(FileManager.default.fileExists(atPath: pool.folder.path + "/run/metrics-0"))
    }

    @Test func withMetricsOffNothingIsKeptAndTheEndpointIs404() throws {
        let pool = try Pool(environment: ["REC_METRICS": "0"])
        #expect(try pool.get("/bench/hello").status == 200)
        let metrics = try pool.get("/api/metrics")
        #expect(metrics.status == 404)
        #expect(metrics.body.hasPrefix(#"{"error":{"code":"not_found","#))
        let runFiles = (try? FileManager.default.contentsOfDirectory(atPath: pool.folder.path + "/run")) ?? []
        #expect(!runFiles.contains { $0.hasPrefix("metrics-") })
    }

    /// A worker stopped with SIGSTOP is killed by the master once it has been stopped past the
    /// request deadline, and replaced.
    @Test func aStoppedWorkerIsKilledAndReplacedAfterTheDeadline() throws {
        let pool = try Pool(environment: ["REC_REQUEST_TIMEOUT_SECONDS": "1"])
        let victim = try #require(pool.workers().first)
        kill(victim, SIGSTOP)
        try waitUntil("the stopped worker is replaced", seconds: 8) {
            !pool.workers().contains(victim) && pool.workers().count == 2
        }
        #expect(try pool.get("/bench/hello").status == 200)
        try waitUntil("the kill is logged") { pool.log().contains("worker was stopped past the request deadline") }
    }

    /// Connections holding half a request wait aside: the workers serve other requests at once,
    /// while those connections are still open, and close them at the receive deadline.
    @Test func halfSentRequestsDoNotHoldAWorker() throws {
        let pool = try Pool()
        let before = Set(pool.workers())
        let halfSent = try (0..<4).map { _ in try FastCGITestClient.connect(to: pool.socketPath) }
        defer { halfSent.forEach { close($0) } }
        let begin: [UInt8] = [1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for descriptor in halfSent { _ = begin.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) } }
        usleep(100_000)
        #expect(try pool.get("/bench/hello").status == 200)
        var byte: UInt8 = 0
        let stillOpen = halfSent.filter { recv($0, &byte, 1, Int32(MSG_DONTWAIT)) < 0 && errno == EAGAIN }
        #expect(stillOpen.count == halfSent.count, "answered without first cutting the half-sent connections")
        for descriptor in halfSent {
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let received = recv(descriptor, &byte, 1, 0)
            // Closed with unread bytes, so the close may arrive as a reset.
            #expect(received == 0 || (received < 0 && errno == ECONNRESET), "closed at the receive deadline")
        }
        #expect(Set(pool.workers()) == before)
        try waitUntil("the cut is logged") { pool.log().contains("closed a connection that did not deliver its request in time") }
    }

    @Test func refusesAnOversizedBodyWith413() throws {
        let pool = try Pool()
        let response = try FastCGITestClient.send(
            to: pool.socketPath,
            parameters: [
                ("REQUEST_METHOD", "POST"), ("DOCUMENT_URI", "/api/predict"), ("CONTENT_LENGTH", "70000"), ("REQUEST_ID", "big"),
            ], body: [UInt8](repeating: 65, count: 70_000))
        #expect(response.status == 413)
        #expect(response.body.contains(#""code":"body_too_large""#))
        let small = try FastCGITestClient.send(
            to: pool.socketPath,
            parameters: [
                ("REQUEST_METHOD", "POST"), ("DOCUMENT_URI", "/api/predict"), ("CONTENT_LENGTH", "5"),
            ], body: Array("[[]]\n".utf8))
        // A small body is read and reaches the API, which finds the shape wrong (not a 413).
        #expect(small.status == 400)
    }

    @Test func aKilledWorkerIsReplacedAndTheDrainExitsZero() throws {
        let pool = try Pool()
        let victim = try #require(pool.workers().first)
        kill(victim, SIGKILL)
        try waitUntil("a replacement runs") { pool.workers().count == 2 && !pool.workers().contains(victim) }
        #expect(pool.log().contains("worker died unexpectedly"))
        #expect(try pool.get("/bench/hello").status == 200)

        let workers = pool.workers()
        kill(pool.process.processIdentifier, SIGTERM)
        pool.process.waitUntilExit()
        #expect(pool.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: pool.socketPath))
        for worker in workers { #expect(Self.hasExited(worker)) }
        #expect(pool.log().contains("all workers stopped; master exiting exit_code=0"))
    }

    @Test func workersAreRecycledAfterTheirQuota() throws {
        let pool = try Pool(environment: ["REC_MAX_REQUESTS": "3"])
        for index in 0..<20 {
            #expect(try pool.get("/bench/hello", requestID: "r\(index)").status == 200)
        }
        try waitUntil("a recycle is logged") { pool.log().contains("worker recycled after its request quota") }
        #expect(!pool.log().contains("worker died unexpectedly"))
    }

    @Test func workersLeaveWhenTheMasterIsKilled() throws {
        let pool = try Pool()
        let workers = pool.workers()
        kill(pool.process.processIdentifier, SIGKILL)
        pool.process.waitUntilExit()
        // Orphans are reparented to whatever reaps them here; a zombie has exited too.
        try waitUntil("the workers are gone") { workers.allSatisfy(Self.hasExited) }
    }

    /// Whether `processID` is gone or a zombie.
    static func hasExited(_ processID: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
            let close = status.lastIndex(of: ")")
        else { return true }
        return status[status.index(close, offsetBy: 2)] == "Z"
    }
}
