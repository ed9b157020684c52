import Foundation
import TestSupport
import XCTest

final class DiagnosticsTests: XCTestCase {
    /// Bytes that are not in the declared charset: libxml2's own "encoding error : input conversion failed …"
    /// lines reached stderr raw, outside the one-event-per-line format; now nothing but the command's own lines does.
    func testLibxml2DiagnosticsStayOffStderr() throws {
        let dir = temporaryDirectory()
        let feed = dir.appendingPathComponent("bad-charset.xml")
        try Data(
            "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><rss version=\"2.0\"><channel><title>t ".utf8
                + [0xFF, 0xFE, 0x80, 0x20] + Data(" bad</title><item><title>x</title></item></channel></rss>".utf8)
        ).write(to: feed)
        let page = dir.appendingPathComponent("bad-charset.html")
        try Data(
            "<html><head><meta charset=\"shift_jis\"></head><body><p>".utf8 + [0xFF, 0xFE, 0x80, 0x85]
                + Data(" some text of the page</p></body></html>".utf8)
        ).write(to: page)
        for arguments in [["parse", "--json", feed.path], ["extract", "--jsonl", page.path]] {
            let r = try runTidings(arguments)
            let stray = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("tidings: ") && !$0.hasPrefix("<") }
            XCTAssertEqual(stray, [], "\(arguments)")
        }
    }
}

final class CheckCommandTests: XCTestCase {
    /// Real damage is "unsound" (exit 3, the README's monitoring contract), with the path named once; a missing
    /// database or a file that is none is "could not run" (exit 1).
    func testDamagedDatabasesExitThree() throws {
        let dir = temporaryDirectory()
        let good = dir.appendingPathComponent("good.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", good]).status, 0)
        XCTAssertEqual(try runTidings(["vacuum", "--db", good]).status, 0)  // folds the WAL into the file
        let original = try Data(contentsOf: URL(fileURLWithPath: good))
        XCTAssertGreaterThan(original.count, 6 * 4096)
        var overwritten = original
        overwritten.replaceSubrange(2 * 4096..<4 * 4096, with: Data(repeating: 0xA5, count: 2 * 4096))
        let damaged: [(String, Data)] = [
            ("overwritten", overwritten),
            ("truncated", original.prefix(3 * 4096)),
        ]
        for (name, bytes) in damaged {
            let path = dir.appendingPathComponent("\(name).db").path
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = try runTidings(["check", "--db", path])
            XCTAssertEqual(r.status, 3, "\(name): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty, name)
            for line in r.stderr.split(separator: "\n") {
                XCTAssertEqual(line.components(separatedBy: path).count, 2, "\(name): the path once: \(line)")
            }
        }
        let missing = try runTidings(["check", "--db", dir.appendingPathComponent("missing.db").path])
        XCTAssertEqual(missing.status, 1)
        let random = dir.appendingPathComponent("random.db")
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: random)
        XCTAssertEqual(try runTidings(["check", "--db", random.path]).status, 1, "not a database at all")
        XCTAssertEqual(try runTidings(["check", "--db", good]).status, 0)
    }
}

final class ArgumentBoundsTests: XCTestCase {
    /// A span no date can be (1e308 hours) is a usage error, not "since forever"; a database in a place that
    /// takes no files is not reported as a full disk.
    func testSpansAreBoundedAndOpenFailuresSayWhy() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("s.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db]).status, 0)
        for span in ["1e308h", "99999999999d"] {
            let r = try runTidings(["stories", "--since", span, "--db", db])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("Error: --since expects a span"), r.stderr)
        }
        XCTAssertEqual(try runTidings(["stories", "--since", "3650d", "--db", db]).status, 0)
        let proc = try runTidings(["stats", "--db", "/proc/self/none.db"])
        XCTAssertEqual(proc.status, 1)
        XCTAssertFalse(proc.stderr.contains("full"), proc.stderr)
        let missing = try runTidings(["demo", "--db", dir.appendingPathComponent("no/such/folder/x.db").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)
    }
}

final class SingleWriterTests: XCTestCase {
    /// A second writer on a database the daemon writes stops at once with one line naming the daemon's pid (eleven
    /// daemons once ran on one database); once the daemon is gone, the database can be written again.
    func testASecondWriterIsRefusedWhileTheDaemonRuns() throws {
        let dir = temporaryDirectory()
        let config = dir.appendingPathComponent("tidings.toml")
        try "database = \"w.db\"\n".write(to: config, atomically: true, encoding: .utf8)
        let serve = try startDaemon(config: config)
        defer {
            if serve.isRunning {
                serve.terminate()
                serve.waitUntilExit()
            }
        }
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
