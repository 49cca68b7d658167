import Glibc
import RecFastCGI
import Testing

struct WorkerPoolStateTests {
    private let second: Int64 = 1_000_000_000
    private typealias Action = WorkerPoolState.Action

    private func makePool(workers: Int = 2, maximumRequests: Int = 0, grace: Int64 = 10) -> WorkerPoolState {
        WorkerPoolState(
            settings: .init(
                workerCount: workers, maximumRequests: maximumRequests,
                graceNanoseconds: grace * 1_000_000_000, requestTimeoutSeconds: 10),
            limiter: RestartRateLimiter(window: 30 * second, immediateRestarts: 2, initialDelay: second, maximumDelay: 8 * second),
            seed: 42)
    }

    /// Starts every slot as pid 100 + slot.
    private func runningPool(workers: Int = 2, maximumRequests: Int = 0, grace: Int64 = 10) -> WorkerPoolState {
        var pool = makePool(workers: workers, maximumRequests: maximumRequests, grace: grace)
        for action in pool.start(now: 0) {
            if case .spawn(let slot, _) = action { pool.workerStarted(slot: slot, processID: Int32(100 + slot), now: 0) }
        }
        return pool
    }

    private func spawns(_ actions: [Action]) -> [Int] {
        actions.compactMap { if case .spawn(let slot, _) = $0 { return slot } else { return nil } }
    }

    private func signals(_ actions: [Action]) -> [Action] {
        actions.filter { if case .signal = $0 { return true } else { return false } }
    }

    private func messages(_ actions: [Action]) -> [String] {
        actions.compactMap { if case .log(let entry) = $0 { return entry.message } else { return nil } }
    }

    @Test func startFillsEverySlotWithAJitteredQuota() {
        var pool = makePool(workers: 3, maximumRequests: 1_000)
        let actions = pool.start(now: 0)
        #expect(spawns(actions) == [0, 1, 2])
        for action in actions {
            if case .spawn(_, let quota) = action { #expect((900...1_100).contains(quota)) }
        }
        #expect(pool.nextDeadline == nil)
    }

    @Test func aRecycledWorkerIsReplacedAtOnceWithoutCountingAsACrash() {
        var pool = runningPool()
        for round in 0..<10 {
            let actions = pool.workerExited(processID: 100, termination: .exited(code: 0), now: Int64(round))
            #expect(spawns(actions) == [0])
            #expect(messages(actions) == ["worker recycled after its request quota"])
            pool.workerStarted(slot: 0, processID: 100, now: Int64(round))
        }
        #expect(pool.limiter.recentCrashes.isEmpty)
    }

    @Test func everyWorkerThatEndsWhileRunningCountsAsARestartAndNoneWhileStopping() {
        var pool = runningPool()
        #expect(pool.workerRestarts == 0, "starting is not restarting")
        _ = pool.workerExited(processID: 100, termination: .exited(code: 0), now: 0)
        pool.workerStarted(slot: 0, processID: 200, now: 0)
        _ = pool.workerExited(processID: 101, termination: .signaled(signal: SIGKILL), now: 0)
        pool.workerStarted(slot: 1, processID: 201, now: 0)
        _ = pool.workerExited(processID: 201, termination: .exited(code: WorkerExitCode.deadlineExceeded), now: 0)
        #expect(pool.workerRestarts == 3)
        _ = pool.workerExited(processID: 999, termination: .signaled(signal: SIGKILL), now: 0)
        #expect(pool.workerRestarts == 3, "an unknown pid is nobody's")
        _ = pool.stopRequested(signalName: "SIGTERM", now: 0)
        _ = pool.workerExited(processID: 200, termination: .exited(code: 0), now: 0)
        #expect(pool.workerRestarts == 3, "a worker stopping with the pool is not replaced")
    }

    @Test func crashesBackOffAndTheTimerRestartsTheSlot() {
        var pool = runningPool()
        // Two immediate restarts are allowed per window.
        for index in 0..<2 {
            let actions = pool.workerExited(processID: 100, termination: .signaled(signal: SIGKILL), now: Int64(index) * second)
            #expect(spawns(actions) == [0])
            #expect(messages(actions) == ["worker died unexpectedly"])
            pool.workerStarted(slot: 0, processID: 100, now: Int64(index) * second)
        }
        let third = pool.workerExited(processID: 100, termination: .exited(code: 70), now: 2 * second)
        #expect(spawns(third).isEmpty)
        #expect(pool.nextDeadline == 3 * second)
        #expect(spawns(pool.timerFired(now: 2 * second + second / 2)).isEmpty)
        #expect(spawns(pool.timerFired(now: 3 * second)) == [0])
        #expect(pool.nextDeadline == nil)
    }

    @Test func aDeadlineKillIsNamedInTheLog() {
        var pool = runningPool()
        let actions = pool.workerExited(processID: 101, termination: .exited(code: WorkerExitCode.deadlineExceeded), now: 0)
        guard case .log(let entry) = actions.first else {
            Issue.record("no log entry")
            return
        }
        #expect(entry.message == "worker exceeded the request deadline and was killed")
        #expect(entry.level == .error)
        #expect(entry.metadata["request_timeout_seconds"] == "10")
        #expect(spawns(actions) == [1])
    }

    /// A worker stopped (SIGSTOP) cannot run its own watchdog: once it has been seen stopped
    /// for longer than the request deadline, the master kills it; a worker that continues in
    /// time is left alone.
    @Test func aWorkerStoppedPastTheDeadlineIsKilled() {
        var pool = runningPool()
        #expect(pool.workersObserved(stopped: [100], now: 1 * second).isEmpty)
        #expect(pool.workersObserved(stopped: [100], now: 10 * second).isEmpty, "stopped 9 s: within the 10 s deadline")
        let actions = pool.workersObserved(stopped: [100], now: 11 * second + 1)
        #expect(signals(actions) == [.signal(.kill, processID: 100)])
        #expect(messages(actions) == ["worker was stopped past the request deadline; killing it"])

        // Stopped, continued, stopped again: the clock starts over.
        #expect(pool.workersObserved(stopped: [101], now: 20 * second).isEmpty)
        #expect(pool.workersObserved(stopped: [], now: 25 * second).isEmpty)
        #expect(pool.workersObserved(stopped: [101], now: 26 * second).isEmpty)
        #expect(pool.workersObserved(stopped: [101], now: 35 * second).isEmpty)
        #expect(signals(pool.workersObserved(stopped: [101], now: 37 * second)) == [.signal(.kill, processID: 101)])
        #expect(pool.workersObserved(stopped: [999], now: 99 * second).isEmpty, "not a worker of this pool")
    }

    @Test func unknownChildrenAreIgnored() {
        var pool = runningPool()
        #expect(pool.workerExited(processID: 999, termination: .exited(code: 0), now: 0).isEmpty)
    }

    @Test func stopDrainsThenExitsZeroWhenTheLastWorkerLeaves() {
        var pool = runningPool()
        let stop = pool.stopRequested(signalName: "SIGTERM", now: 5 * second)
        #expect(stop.contains(.closeListener))
        #expect(signals(stop) == [.signal(.terminate, processID: 100), .signal(.terminate, processID: 101)])
        #expect(pool.phase == .draining(deadline: 15 * second))
        let first = pool.workerExited(processID: 100, termination: .exited(code: 0), now: 6 * second)
        #expect(spawns(first).isEmpty)
        #expect(!first.contains(.exit(code: 0)))
        let last = pool.workerExited(processID: 101, termination: .exited(code: 0), now: 6 * second)
        #expect(last.last == .exit(code: 0))
        #expect(pool.phase == .finished)
    }

    @Test func pendingRestartsAreCancelledByAStop() {
        var pool = runningPool()
        _ = pool.workerExited(processID: 100, termination: .signaled(signal: SIGSEGV), now: 0)
        pool.workerStarted(slot: 0, processID: 102, now: 0)
        _ = pool.workerExited(processID: 102, termination: .signaled(signal: SIGSEGV), now: 0)
        pool.workerStarted(slot: 0, processID: 103, now: 0)
        _ = pool.workerExited(processID: 103, termination: .signaled(signal: SIGSEGV), now: 0)
        #expect(pool.nextDeadline != nil)
        let stop = pool.stopRequested(signalName: "SIGINT", now: second)
        #expect(signals(stop) == [.signal(.terminate, processID: 101)])
        #expect(spawns(pool.timerFired(now: 100 * second)).isEmpty)
    }

    @Test func theGraceDeadlineKillsWhatIsLeftAndExitsOne() {
        var pool = runningPool(grace: 10)
        _ = pool.stopRequested(signalName: "SIGTERM", now: 0)
        _ = pool.workerExited(processID: 100, termination: .exited(code: 0), now: second)
        #expect(pool.timerFired(now: 9 * second).isEmpty)
        let kill = pool.timerFired(now: 10 * second)
        #expect(signals(kill) == [.signal(.kill, processID: 101)])
        #expect(pool.phase == .killing)
        let end = pool.workerExited(processID: 101, termination: .signaled(signal: SIGKILL), now: 10 * second)
        #expect(end.last == .exit(code: 1))
    }

    @Test func aSecondStopSignalKillsAtOnce() {
        var pool = runningPool()
        _ = pool.stopRequested(signalName: "SIGINT", now: 0)
        let second = pool.stopRequested(signalName: "SIGINT", now: 1)
        #expect(signals(second) == [.signal(.kill, processID: 100), .signal(.kill, processID: 101)])
        #expect(pool.stopRequested(signalName: "SIGINT", now: 2).isEmpty)
    }

    @Test func stoppingWithNoWorkersExitsAtOnce() {
        var pool = makePool()
        let actions = pool.stopRequested(signalName: "SIGTERM", now: 0)
        #expect(actions.last == .exit(code: 0))
    }

    @Test func aFailedSpawnIsRetriedLikeACrash() {
        var pool = makePool(workers: 1)
        _ = pool.start(now: 0)
        #expect(spawns(pool.spawnFailed(slot: 0, reason: "posix_spawn: ENOMEM", now: 0)) == [0])
        #expect(spawns(pool.spawnFailed(slot: 0, reason: "posix_spawn: ENOMEM", now: 0)) == [0])
        let third = pool.spawnFailed(slot: 0, reason: "posix_spawn: ENOMEM", now: 0)
        #expect(spawns(third).isEmpty)
        #expect(messages(third) == ["cannot start a worker"])
        #expect(pool.nextDeadline == second)
    }

    @Test func theWatchdogOnlyFiresForABusyOverdueWorker() {
        #expect(!RequestWatchdog.isOverdue(startedAt: 0, now: 100 * second, limit: second))
        #expect(!RequestWatchdog.isOverdue(startedAt: 5 * second, now: 6 * second, limit: second))
        #expect(RequestWatchdog.isOverdue(startedAt: 5 * second, now: 6 * second + 1, limit: second))
    }
}
