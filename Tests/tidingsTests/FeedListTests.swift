import Foundation
import TestSupport
import XCTest

final class FeedListTests: XCTestCase {
    /// feeds add (with discovery from a web page), list, remove, import from three readers' exports, export.
    func testFeedListLivesInTheConfigurationAndTheStoreFollows() throws {
        let feed = Data(inlineFeed("Discovered", [("Hello", "A discovered feed's first entry.")]).utf8)
        let server = try TestHTTPServer { r in
            switch r.path {
            case "/":
                return .text(
                    "<html><head><title>Site</title><link rel=\"alternate\" type=\"application/rss+xml\" title=\"Site news\" href=\"/news/feed.xml\"></head><body><p>Home</p></body></html>",
                    type: "text/html; charset=utf-8")
            case "/news/feed.xml":
                return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: feed)
            case "/plain": return .text("<html><body>No feed here</body></html>", type: "text/html")
            default: return TestResponse(status: 404)
            }
        }
        let dir = temporaryDirectory("tidings-feeds")
        let config = dir.appendingPathComponent("tidings.toml").path
        try
            "# my configuration\ndatabase = \"store.db\"\n\n[[feed]]\nurl = \"\(repositoryRoot().path)/seeds/feed.xml\"\ntitle = \"seeds\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("store.db").path

        // A web page: its announced feed is what gets added.
        let add = try runTidings(["feeds", "add", server.baseURL + "/", "--config", config])
        XCTAssertEqual(add.status, 0, add.stderr)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# my configuration\n"), "comments kept")
        XCTAssertTrue(text.contains("url = \"\(server.baseURL)/news/feed.xml\"\ntitle = \"Site news\""), text)
        XCTAssertEqual(
            try runTidings(["feeds", "add", server.baseURL + "/news/feed.xml", "--config", config]).stdout.contains(
                "already"), true)
        let none = try runTidings(["feeds", "add", server.baseURL + "/plain", "--config", config])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("/plain") && none.stderr.contains("neither a feed"), none.stderr)

        var list = try XCTUnwrap(try json(runTidings(["feeds", "list", "--json", "--db", db])) as? [[String: Any]])
        XCTAssertEqual(
            list.map { $0["url"] as? String },
            ["file://\(repositoryRoot().path)/seeds/feed.xml", "\(server.baseURL)/news/feed.xml"])
        let run = try runTidings(["run", "--once", "--config", config])
        XCTAssertEqual(run.status, 0, run.stderr)

        // Remove by id: gone from the file, kept (marked) in the store with its article.
        let id = try XCTUnwrap(list[1]["id"] as? Int)
        XCTAssertEqual(try runTidings(["feeds", "remove", String(id), "--config", config]).status, 0)
        XCTAssertFalse(try String(contentsOfFile: config, encoding: .utf8).contains("news/feed.xml"))
        list = try XCTUnwrap(try json(runTidings(["feeds", "list", "--json", "--db", db])) as? [[String: Any]])
        XCTAssertEqual(list[1]["removed"] as? Bool, true)
        let again = try runTidings(["run", "--once", "--config", config])
        XCTAssertTrue(again.stdout.hasPrefix("1 feeds"), "a removed feed is not polled: \(again.stdout)")
        XCTAssertEqual(
            try runTidings(["feeds", "remove", "http://nowhere.invalid/feed", "--config", config]).status, 1)

        // Other readers' exports.
        for (name, expected) in [("miniflux", 4), ("freshrss", 2), ("newsboat", 1)] {
            let r = try runTidings(["feeds", "import", opmlFixture(name), "--config", config])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("\(expected) feeds added"), "\(name): \(r.stdout)")
        }
        XCTAssertEqual(
            try runTidings(["feeds", "import", repositoryRoot().path + "/seeds/feed.xml", "--config", config]).stderr
                .contains("not an OPML file"), true)
        // An OPML file from elsewhere adds only http(s) feeds (one address in its normal form, HTTP://…:80 being
        // http://…), saying on one line each what it left out; nothing of the rest reaches the configuration.
        let hostile = try runTidings(["feeds", "import", opmlFixture("hostile"), "--config", config])
        XCTAssertEqual(hostile.status, 0, hostile.stderr)
        XCTAssertTrue(hostile.stdout.hasPrefix("1 feeds added"), hostile.stdout)
        XCTAssertTrue(hostile.stdout.contains("5 skipped"), hostile.stdout)
        XCTAssertEqual(hostile.stderr.split(separator: "\n").count, 5, hostile.stderr)
        let written = try String(contentsOfFile: config, encoding: .utf8)
        XCTAssertTrue(written.contains("url = \"http://feeds.example.com/real.xml\""), written)
        for bad in ["passwd", "shadow", "javascript", "gopher", "forged"] { XCTAssertFalse(written.contains(bad), bad) }
        XCTAssertEqual(
            try runTidings(["feeds", "import", opmlFixture("hostile"), "--config", config]).stdout.hasPrefix(
                "0 feeds added"), true,
            "the same feed in another spelling is already there")
        XCTAssertEqual(
            try runTidings(["feeds", "remove", "http://feeds.example.com/real.xml", "--config", config]).status, 0)
        let loaded = try runTidings(["feeds", "list", "--json", "--db", db])
        XCTAssertEqual((try json(loaded) as? [[String: Any]])?.filter { $0["removed"] as? Bool == false }.count, 8)
        XCTAssertTrue(
            try String(contentsOfFile: config, encoding: .utf8).contains(
                "title = \"tagesschau.de - die erste Adresse für Nachrichten und Information\""))

        // Export, then import into an empty configuration: the same list.
        let export = try runTidings(["feeds", "export", "--config", config])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.contains("<opml version=\"2.0\">"))
        let urls = opmlURLs(export.stdout)
        XCTAssertEqual(urls.count, 8)
        let opml = dir.appendingPathComponent("export.opml")
        try export.stdout.write(to: opml, atomically: true, encoding: .utf8)
        let other = dir.appendingPathComponent("other.toml").path
        try "database = \"other.db\"\n".write(toFile: other, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runTidings(["feeds", "import", opml.path, "--config", other]).status, 0)
        XCTAssertEqual(opmlURLs(try runTidings(["feeds", "export", "--config", other]).stdout), urls)
    }
}
