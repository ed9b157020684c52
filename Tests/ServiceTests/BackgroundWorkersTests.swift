import Foundation
import Synchronization
import XCTest

@testable import Service

#if canImport(Glibc)
import Glibc
#endif

final class BackgroundWorkersTests: XCTestCase {
    /// Every iteration runs once, on a worker below the process's priority, and `perform` returns after the last;
    /// two callers at once each get their own iterations.
    func testEveryIterationRunsOnceAtLowerPriority() {
        let counts = Mutex([Int](repeating: 0, count: 500))
        let niceness = Mutex(Set<Int32>())
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread {
                BackgroundWorkers.shared.perform(iterations: 250) { i in
                    errno = 0
                    let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                    niceness.withLock { _ = $0.insert(nice) }
                    counts.withLock { $0[i] += 1 }
                }
                done.signal()
            }.start()
        }
        for _ in 0..<2 { XCTAssertEqual(done.wait(timeout: .now() + 60), .success) }
        let c = counts.withLock { $0 }
        XCTAssertEqual(c[0..<250].reduce(0, +), 500, "each index of 0..<250, once per caller")
        XCTAssertTrue(c[0..<250].allSatisfy { $0 == 2 })
        XCTAssertEqual(niceness.withLock { $0 }, [BackgroundWorkers.niceness])
        XCTAssertEqual(
            getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), 0, "the caller's priority is unchanged")
    }
}
