import Foundation
import TestSupport
import XCTest

final class SingleWriterTests: XCTestCase {
    /// A second writer on a database the daemon writes stops at once with one line naming the daemon's pid (eleven
    /// daemons once ran on one database); once the daemon is gone, the database can be written again.
    func testASecondWriterIsRefusedWhileTheDaemonRuns() throws {
        let dir = temporaryDirectory()
        let config = dir.appendingPathComponent("tidings.toml")
        try "database = \"w.db\"\n".write(to: config, atomically: true, encoding: .utf8)
        let serve = try startDaemon(config: config)
        defer { serve.stopIfRunning() }
        let lock = dir.appendingPathComponent("w.db.lock").path
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline,
            (try? String(contentsOfFile: lock, encoding: .utf8))?.hasPrefix("\(serve.processIdentifier)") != true
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        for arguments in [
            ["run", "--once", "--config", config.path], ["serve", "--config", config.path],
            ["regroup", "--config", config.path],
        ] {
            let second = try runTidings(arguments)
            XCTAssertEqual(second.status, 1, "\(arguments): \(second.stderr)")
            XCTAssertTrue(
                second.stderr.contains("another tidings process (pid \(serve.processIdentifier))"), second.stderr)
            XCTAssertEqual(second.stderr.split(separator: "\n").count, 1, second.stderr)
        }
        XCTAssertEqual(try runTidings(["stats", "--config", config.path]).status, 0, "readers read meanwhile")
        serve.terminate()
        serve.waitUntilExit()
        XCTAssertEqual(try runTidings(["run", "--once", "--config", config.path]).status, 0)
    }
}
