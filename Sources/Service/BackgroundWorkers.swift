import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Threads for the daemon's CPU-heavy work (extracting articles) while it serves readers over HTTP, one per core,
/// at a lower priority than the rest of the process: on a small machine a reader's request to the web server gets
/// a core at once, and the ingest takes what readers leave (on an idle machine it loses nothing). Without a web
/// server the pipeline extracts on Dispatch's threads, beside its own (see `ArticleStage`). Dedicated threads, because Linux's
/// priority is per thread and an unprivileged thread cannot raise its own back: lowering Dispatch's shared
/// threads would slow everything that later runs on them.
final class BackgroundWorkers: Sendable {
    /// The workers every stage shares.
    static let shared = BackgroundWorkers(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// The workers' nice value (the process's is 0): about a tenth of the CPU share of a normal thread when both
    /// want a core.
    static let niceness: Int32 = 10

    private struct Job {
        let id: UInt64
        let body: @Sendable (Int) -> Void
        let iterations: Int
        var next = 0
        var unfinished: Int
        let done: DispatchSemaphore
    }

    private let jobs = Mutex<(list: [Job], nextID: UInt64)>(([], 0))
    private let wake = DispatchSemaphore(value: 0)

    private init(threads: Int) {
        for i in 0..<max(1, threads) {
            let thread = Thread { [self] in
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, BackgroundWorkers.niceness)
                work()
            }
            thread.name = "tidings.extract.\(i)"
            thread.start()
        }
    }

    /// Calls `body` with 0..<iterations across the workers and returns when every call has returned.
    func perform(iterations: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard iterations > 0 else { return }
        let done = DispatchSemaphore(value: 0)
        jobs.withLock {
            $0.nextID += 1
            $0.list.append(Job(id: $0.nextID, body: body, iterations: iterations, unfinished: iterations, done: done))
        }
        for _ in 0..<iterations { wake.signal() }  // a wake-up per iteration: no worker sleeps while work is left
        done.wait()
    }

    private func work() {
        while true {
            wake.wait()
            runOne()?.signal()
        }
    }

    /// Runs one iteration of the oldest job with one left (there is one for every wake-up); returns the job's
    /// semaphore when that was its last. A function of its own so that the job's closure, and all it captured
    /// (a batch's pages), is released on return, not held by an idle worker until the next batch.
    private func runOne() -> DispatchSemaphore? {
        let claimed: (UInt64, @Sendable (Int) -> Void, Int)? = jobs.withLock { jobs in
            guard let j = jobs.list.firstIndex(where: { $0.next < $0.iterations }) else { return nil }
            defer { jobs.list[j].next += 1 }
            return (jobs.list[j].id, jobs.list[j].body, jobs.list[j].next)
        }
        guard let (id, body, i) = claimed else { return nil }
        body(i)
        return jobs.withLock { jobs in
            guard let j = jobs.list.firstIndex(where: { $0.id == id }) else { return nil }
            jobs.list[j].unfinished -= 1
            guard jobs.list[j].unfinished == 0 else { return nil }
            return jobs.list.remove(at: j).done
        }
    }
}
