import Foundation
import TestSupport
import XCTest

final class FailureTests: XCTestCase {
    /// A dead feed URL and a file that is not XML each get one error line naming them; the good feed is still read.
    func testBrokenFeedsAreNamedAndTheOthersStillProcessed() throws {
        let dir = temporaryDirectory()
        try "this is not a feed".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let dead = "http://127.0.0.1:\(closedLocalPort())/feed.xml"
        let seeds = repositoryRoot().appendingPathComponent("seeds/feed.xml").path
        try """
        database = "store.db"
        [[feed]]
        url = "\(dead)"
        [[feed]]
        url = "notes.txt"
        [[feed]]
        url = "\(seeds)"
        """.write(to: dir.appendingPathComponent("tidings.toml"), atomically: true, encoding: .utf8)
        let run = try runTidings(["run", "--once", "--config", dir.appendingPathComponent("tidings.toml").path])
        XCTAssertEqual(run.status, 2, "partial failure has its own exit code")
        let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("<3>") }
        XCTAssertEqual(errors.count, 2, run.stderr)
        XCTAssertTrue(errors.contains { $0.contains(dead) }, run.stderr)
        XCTAssertTrue(errors.contains { $0.contains("notes.txt") && $0.contains("not a feed") }, run.stderr)
        XCTAssertTrue(run.stdout.contains("5 new articles"), run.stdout)
        let stories = try runTidings(["stories", "--json", "--db", dir.appendingPathComponent("store.db").path])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(stories.stdout.utf8)) as? [Any])?.count, 1)
    }

    func testConfigTypoIsOneLineNamingFileAndLine() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("typo.toml").path
        try "database = \"x.db\"\n\n[limits]\nmax_redirect = 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try runTidings(["run", "--once", "--config", path])
        XCTAssertNotEqual(run.status, 0)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, run.stderr)
        XCTAssertTrue(lines[0].contains("\(path):4:"), run.stderr)
        XCTAssertTrue(lines[0].contains("max_redirects"), "suggests the key it expected: \(run.stderr)")
    }

    func testMissingConfigAndMissingDatabaseAreNamed() throws {
        let run = try runTidings(["run", "--once", "--config", "/nonexistent/tidings.toml"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("/nonexistent/tidings.toml"), run.stderr)
        let read = try runTidings(["stories", "--db", "/nonexistent/x.db"])
        XCTAssertNotEqual(read.status, 0)
        XCTAssertTrue(read.stderr.contains("/nonexistent/x.db"), read.stderr)
    }

    func testEveryCommandHasHelp() throws {
        for command in [
            "demo", "run", "serve", "stories", "show", "search", "stats", "feeds", "parse", "extract", "cluster",
        ] {
            let r = try runTidings([command, "--help"])
            XCTAssertEqual(r.status, 0, command)
            XCTAssertTrue(r.stdout.contains("USAGE"), command)
        }
    }
}
