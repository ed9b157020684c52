import Foundation
import TestSupport
import XCTest

/// One seed page's expectation, read from the founding example's expected.json.
struct SeedExpectation: Decodable {
    let file: String
    let title: String
    let body: String
    let not_body: [String]
    let story: String
}

/// White space folded (NBSP included) so a line compares the way a reader sees it.
func fold(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{202F}" }).joined(separator: " ")
}

func seedExpectations() throws -> [SeedExpectation] {
    let url = Bundle.module.url(forResource: "Fixtures/seeds-expected", withExtension: "json")!
    return try JSONDecoder().decode([SeedExpectation].self, from: Data(contentsOf: url))
}

/// Checks a page's clean text against its expectation: every body line, in order; no chrome line.
func assertCleanBody(_ text: String, _ e: SeedExpectation, file: StaticString = #filePath, line: UInt = #line) {
    let lines = text.split(separator: "\n").map { fold(String($0)) }
    var position = 0
    for expected in e.body.split(separator: "\n").map({ fold(String($0)) }) {
        guard let i = lines[position...].firstIndex(of: expected) else {
            XCTFail("\(e.file): body line missing or out of order: \(expected.prefix(80))", file: file, line: line)
            return
        }
        position = i + 1
    }
    let bodyLines = Set(e.body.split(separator: "\n").map { fold(String($0)) })
    for chrome in e.not_body.map(fold) where !bodyLines.contains(chrome) {
        XCTAssertFalse(lines.contains(chrome), "\(e.file): chrome line kept: \(chrome)", file: file, line: line)
    }
}

final class DemoTests: XCTestCase {
    func testDemoMakesOneStoryWithFiveSourcesAndCleanText() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("demo.db").path
        let demo = try runTidings(["demo", "--db", db], in: repositoryRoot())
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains(db), "the demo names its database")
        XCTAssertTrue(demo.stdout.contains("5 articles from 5 sources"), demo.stdout)

        let stories = try runTidings(["stories", "--json", "--db", db])
        XCTAssertEqual(stories.status, 0, stories.stderr)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stories.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 1, "the five seed pages are one story")
        let story = try XCTUnwrap(list.first)
        for key in ["id", "title", "updated", "articles"] { XCTAssertNotNil(story[key], key) }
        let articles = try XCTUnwrap(story["articles"] as? [[String: Any]])
        XCTAssertEqual(articles.count, 5)
        XCTAssertEqual(Set(articles.compactMap { $0["source"] as? String }).count, 5)
        for a in articles {
            for key in ["id", "title", "url", "source", "published"] { XCTAssertTrue(a.keys.contains(key), key) }
        }

        let id = try XCTUnwrap(story["id"] as? Int)
        let show = try runTidings(["show", String(id), "--json", "--db", db])
        XCTAssertEqual(show.status, 0, show.stderr)
        let full = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let fullArticles = try XCTUnwrap(full["articles"] as? [[String: Any]])
        for e in try seedExpectations() {
            let a = try XCTUnwrap(fullArticles.first { ($0["url"] as? String)?.hasSuffix(e.file) == true }, e.file)
            XCTAssertEqual(fold(a["title"] as? String ?? ""), fold(e.title), e.file)
            assertCleanBody(a["text"] as? String ?? "", e)
            // The demo's own output carries the same title and body.
            XCTAssertTrue(fold(demo.stdout).contains(fold(e.title)), e.file)
            for bodyLine in e.body.split(separator: "\n") {
                XCTAssertTrue(
                    fold(demo.stdout).contains(fold(String(bodyLine))),
                    "\(e.file): demo output lacks \(bodyLine.prefix(60))")
            }
        }
    }

    func testDemoTwiceAddsNothing() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("twice.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db], in: repositoryRoot()).status, 0)
        let before = try runTidings(["show", "1", "--json", "--db", db]).stdout
        let second = try runTidings(["demo", "--db", db], in: repositoryRoot())
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("0 new articles, 5 already stored"), second.stdout)
        let stories = try runTidings(["stories", "--json", "--db", db]).stdout
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(stories.utf8)) as? [Any])?.count, 1)
        XCTAssertEqual(try runTidings(["show", "1", "--json", "--db", db]).stdout, before)
    }
}

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

final class ClusterCommandTests: XCTestCase {
    /// The dedup contract: JSON Lines in, {"id", "cluster"} a line out, in file order, ids kept as given.
    func testClusterPrintsOneLinePerArticle() throws {
        let dir = temporaryDirectory()
        var lines: [String] = []
        for (i, e) in try seedExpectations().enumerated() {
            let object: [String: Any] = [
                "id": i == 0 ? 7 as Any : "seed-\(i)" as Any, "source": "site\(i)", "url": "https://site\(i).example/a",
                "title": NSNull(), "text": e.body, "published": "2024-06-19T1\(i):00:00Z", "lang": "fr",
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        lines.append(
            #"{"id": "other", "text": "Le conseil municipal a voté mardi le budget des écoles et de la piscine, avec une hausse des investissements dans les quartiers nord.", "published": "2024-06-19T18:00:00Z"}"#
        )
        let file = dir.appendingPathComponent("articles.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try runTidings(["cluster", "--jsonl", file.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = r.stdout.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        XCTAssertEqual(out.count, 6)
        XCTAssertEqual(out[0]["id"] as? Int, 7)
        XCTAssertEqual(out[1]["id"] as? String, "seed-1")
        let clusters = out.map { $0["cluster"] as! Int }
        XCTAssertEqual(Set(clusters.prefix(5)).count, 1, "the seed pages are one story")
        XCTAssertNotEqual(clusters[5], clusters[0])
    }

    func testClusterRejectsALineThatIsNotJSON() throws {
        let file = temporaryDirectory().appendingPathComponent("bad.jsonl")
        try "{\"id\": 1, \"text\": \"ok\"}\nnot json\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try runTidings(["cluster", "--jsonl", file.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(file.path):2"), r.stderr)
    }
}

final class ReadingCommandTests: XCTestCase {
    /// search, stats and feeds list on the demo's store.
    func testSearchStatsAndFeedsOnTheDemoStore() throws {
        let db = temporaryDirectory().appendingPathComponent("read.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db], in: repositoryRoot()).status, 0)

        // Every seed page names Corée and Russie; one of them never names Pyongyang.
        for (query, count) in [("coree", 5), ("Corée", 5), ("RUSSIE", 5), ("pyongyang", 4)] {
            let r = try runTidings(["search", query, "--json", "--db", db])
            XCTAssertEqual(r.status, 0, r.stderr)
            let hits = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            XCTAssertEqual(hits.count, count, query)
            XCTAssertTrue(hits.allSatisfy { ($0["snippet"] as? String)?.contains("[") == true })
        }
        let bad = try runTidings(["search", "\"unbalanced", "--db", db])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("cannot search"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("SQLITE"), bad.stderr)

        let stats = try runTidings(["stats", "--json", "--db", db])
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(s["articles"] as? Int, 5)
        XCTAssertEqual(s["stories"] as? Int, 1)
        XCTAssertEqual(s["duplicates_collapsed"] as? Int, 4)

        let feeds = try runTidings(["feeds", "list", "--json", "--db", db])
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(feeds.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["status"] as? Int, 200)
        XCTAssertNotNil(list[0]["next_poll"] as? String)
    }
}
