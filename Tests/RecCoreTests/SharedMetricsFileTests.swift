import Foundation
import Glibc
import Testing
@testable import RecCore

/// The shared counters file itself: created by a master, attached by workers through a
/// descriptor, summed across slots, continued by a replacement worker, and refused when foreign.
struct SharedMetricsFileTests {
    let folder = TemporaryDirectory()
    let layout = APIMetrics.layout(workerCount: 2)
    var runDirectory: String { folder.file("run") }

    /// The file as a worker maps it: through its own copy of the master's descriptor.
    private func attach(_ file: SharedMetricsFile) throws -> SharedMetricsFile {
        try SharedMetricsFile.attach(descriptor: dup(file.descriptor), layout: APIMetrics.layout(workerCount: 1))
    }

    @Test func aMasterCreatesAZeroedFileThatWorkersAttachTo() throws {
        let master = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        #expect(master.path == runDirectory + "/metrics-0")
        #expect(try SystemCalls.fileStatus(master.path).size == layout.fileBytes)
        #expect(master.readSlots().allSatisfy { $0.words.allSatisfy { $0 == 0 } })

        let worker = try attach(master)
        #expect(worker.layout == layout, "the slot count comes from the file")
        worker.slot(1).recordRequest(endpoint: 0, status: 200, nanoseconds: 1_000_000)
        let other = try attach(master)
        other.slot(2).recordRequest(endpoint: 0, status: 200, nanoseconds: 3_000_000)
        master.slot(0).add(1, toWord: MetricsLayout.Word.workerRestarts)

        for reader in [master, worker, other] {
            let snapshot = reader.snapshot()
            #expect(snapshot.requests == [.init(endpoint: "/api/predict", status: 200, count: 2)])
            #expect(snapshot.durations.first?.sumNanoseconds == 4_000_000)
            #expect(snapshot.workerRestarts == 1)
        }
    }

    @Test func aReplacementWorkerContinuesItsSlotSoTotalsNeverGoBack() throws {
        let master = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        var seen: [UInt64] = []
        for (generation, requests) in [(1, 5), (2, 3), (3, 4)] {
            let worker = try attach(master)
            let slot = worker.slot(1)
            slot.claim(processID: Int32(100 + generation))
            for _ in 0..<requests { slot.recordRequest(endpoint: 1, status: 200, nanoseconds: 10_000) }
            seen.append(master.snapshot().requests.first?.count ?? 0)
            // The worker is gone (killed or recycled): its mapping and descriptor go with it.
        }
        #expect(seen == [5, 8, 12])
        #expect(master.slot(1).value(ofWord: MetricsLayout.Word.processID) == 103)
        #expect(master.snapshot().durations.first?.count == 12)
    }

    @Test func eachLivePoolTakesItsOwnFileAndAGoneOnesFileStartsFromZero() throws {
        var first: SharedMetricsFile? = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        first?.slot(1).recordRequest(endpoint: 0, status: 200, nanoseconds: 1)
        let second = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        #expect(first?.path == runDirectory + "/metrics-0" && second.path == runDirectory + "/metrics-1")
        #expect(second.snapshot().requests.isEmpty)

        first = nil
        let third = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        #expect(third.path == runDirectory + "/metrics-0", "the lock went with the first pool")
        #expect(third.snapshot().requests.isEmpty, "a new pool starts from zero")
    }

    @Test func aWorkerRefusesAFileOfAnotherLayoutOrNoFileAtAll() throws {
        let master = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        let foreign = MetricsLayout(endpoints: ["/api/predict", "other"], slotCount: 3)
        #expect(throws: MetricsError.self) { try SharedMetricsFile.attach(descriptor: dup(master.descriptor), layout: foreign) }
        do {
            _ = try SharedMetricsFile.attach(descriptor: dup(master.descriptor), layout: foreign)
        } catch {
            #expect(error.code == .incompatibleLayout)
        }

        let pipeEnds = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        defer { pipeEnds.deallocate() }
        #expect(pipe(pipeEnds) == 0)
        defer { close(pipeEnds[1]) }
        do {
            _ = try SharedMetricsFile.attach(descriptor: pipeEnds[0], layout: layout)
            Issue.record("a pipe was attached")
        } catch {
            #expect(error.code == .cannotAttach)
        }

        let empty = folder.file("empty")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data(count: 8192)))
        do {
            _ = try SharedMetricsFile.attach(descriptor: open(empty, O_RDWR), layout: layout)
            Issue.record("a zeroed file was attached")
        } catch {
            #expect(error.code == .incompatibleLayout)
        }
    }

    @Test func aFailedSystemCallIsAnErrorNotACrash() throws {
        SystemCallFaults.$active.withValue(["ftruncate": ENOSPC]) {
            do throws(MetricsError) {
                _ = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
                Issue.record("created despite ftruncate failing")
            } catch {
                #expect(error.code == .cannotCreate)
                #expect(error.systemCallError?.errorNumber == ENOSPC)
                #expect(error.message.contains(runDirectory))
            }
        }
        SystemCallFaults.$active.withValue(["mkdir": EACCES]) {
            #expect(throws: MetricsError.self) { try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout) }
        }
        let file = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        SystemCallFaults.$active.withValue(["fstat": EIO]) {
            #expect(throws: MetricsError.self) { try SharedMetricsFile.attach(descriptor: dup(file.descriptor), layout: layout) }
        }
    }

    @Test func onlyLiveWritersCountForTheServedGeneration() throws {
        let master = try SharedMetricsFile.create(runDirectory: runDirectory, layout: layout)
        let live = master.slot(1)
        live.claim(processID: SystemCalls.processID())
        live.set(4, word: MetricsLayout.Word.servedGeneration)
        live.set(1_000, word: MetricsLayout.Word.modelFileBytes)
        let gone = master.slot(2)
        gone.claim(processID: Int32.max) // above pid_max: no such process
        gone.set(5, word: MetricsLayout.Word.servedGeneration)
        #expect(master.snapshot().servedGeneration == 4)
        #expect(master.snapshot().modelFileBytes == 1_000)
        SystemCallFaults.$active.withValue(["kill": ESRCH]) {
            #expect(master.snapshot().servedGeneration == 0)
        }
    }
}
