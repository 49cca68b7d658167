import Glibc
import RecFastCGI
import Testing

struct WorkerTerminationTests {
    @Test func decodesWaitStatuses() {
        #expect(WorkerTermination(waitStatus: 0) == .exited(code: 0))
        #expect(WorkerTermination(waitStatus: 70 << 8) == .exited(code: 70))
        #expect(WorkerTermination(waitStatus: SIGKILL) == .signaled(signal: SIGKILL))
        #expect(WorkerTermination(waitStatus: SIGSEGV | 0x80) == .signaled(signal: SIGSEGV))
        #expect(WorkerTermination(waitStatus: 0).isClean)
        #expect(!WorkerTermination(waitStatus: 1 << 8).isClean)
        #expect(WorkerTermination.signaled(signal: SIGALRM).description == "signal 14 (SIGALRM)")
        #expect(WorkerTermination.exited(code: 72).description == "exit code 72")
    }
}
