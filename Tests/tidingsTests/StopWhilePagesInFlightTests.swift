import Foundation
import TestSupport
import XCTest

final class StopWhilePagesInFlightTests: XCTestCase {
    /// SIGTERM while pages are in flight from a site that takes 30 s to answer each: the daemon ends the transfers
    /// and stops within seconds (it logged "finishing the article in hand" and ran on for 140 s), exit 0, and the
    /// database is sound.
    func testTheDaemonStopsWithinSecondsOfSIGTERM() throws {
        let base = Shared<String>("")
        let server = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>tarpit</title>"
                for i in 0..<40 {
                    xml +=
                        "<item><guid>t\(i)</guid><title>Entry \(i)</title><link>\(base.value)/page/\(i).html</link></item>"
                }
                return TestResponse(
                    status: 200, headers: [("Content-Type", "application/rss+xml")],
                    body: Data((xml + "</channel></rss>").utf8))
            }
            return TestResponse(
                status: 200, headers: [("Content-Type", "text/html")], body: Data("<p>late</p>".utf8), delay: 30)
        }
        base.set(server.baseURL)
        let dir = temporaryDirectory()
        let config = dir.appendingPathComponent("tidings.toml")
        try "database = \"t.db\"\n[[feed]]\nurl = \"\(server.baseURL)/feed.xml\"\n".write(
            to: config, atomically: true, encoding: .utf8)
        let serve = try startDaemon(config: config)
        defer {
            if serve.isRunning {
                kill(serve.processIdentifier, SIGKILL)
                serve.waitUntilExit()
            }
        }
        let inFlight = Date().addingTimeInterval(20)
        while Date() < inFlight, !server.requests.contains(where: { $0.path.hasPrefix("/page/") }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(server.requests.contains { $0.path.hasPrefix("/page/") }, "pages were requested")
        let signalled = Date()
        kill(serve.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while serve.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(serve.isRunning, "still running 10 s after SIGTERM")
        serve.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 10)
        XCTAssertEqual(serve.terminationStatus, 0)
        XCTAssertEqual(try runTidings(["check", "--db", dir.appendingPathComponent("t.db").path]).status, 0)
    }
}
