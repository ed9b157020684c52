import Foundation
import TestSupport
import XCTest

func json(_ r: CommandResult, file: StaticString = #filePath, line: UInt = #line) throws -> Any {
    XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

func opmlFixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/opml/\(name)", withExtension: "opml")!.path
}

/// The feed URLs in an OPML document.
func opmlURLs(_ text: String) -> [String] {
    text.components(separatedBy: "xmlUrl=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

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

final class QueryCommandTests: XCTestCase {
    /// A store with the French seed story and ten English articles from another feed.
    func makeStore() throws -> (dir: URL, db: String) {
        let dir = temporaryDirectory("tidings-queries")
        let english = Bundle.module.url(forResource: "Fixtures/faults/full-text-b", withExtension: "xml")!.path
        try """
        database = "store.db"
        [[feed]]
        url = "\(repositoryRoot().path)/seeds/feed.xml"
        title = "seeds"
        [[feed]]
        url = "\(english)"
        """.write(to: dir.appendingPathComponent("tidings.toml"), atomically: true, encoding: .utf8)
        let run = try runTidings(["run", "--once", "--config", dir.appendingPathComponent("tidings.toml").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        return (dir, dir.appendingPathComponent("store.db").path)
    }

    func testStoriesAndArticlesFilters() throws {
        let (_, db) = try makeStore()
        func stories(_ args: [String]) throws -> [[String: Any]] {
            try XCTUnwrap(try json(runTidings(["stories", "--json", "--db", db] + args)) as? [[String: Any]])
        }
        XCTAssertEqual(try stories([]).count, 11)
        XCTAssertEqual(try stories(["--lang", "fr"]).count, 1)
        XCTAssertEqual(try stories(["--lang", "fr"]).first?["articles"].map { ($0 as? [Any])?.count }, 5)
        XCTAssertEqual(try stories(["--lang", "en"]).count, 10)
        XCTAssertEqual(try stories(["--feed", "seeds"]).count, 1)
        XCTAssertEqual(try stories(["--feed", "full-text-b"]).count, 10)
        XCTAssertEqual(try stories(["--limit", "3"]).count, 3)
        XCTAssertEqual(try stories(["--since", "2000-01-01"]).count, 11)
        // Only the seed story: three of its pages carry no date, so they count from when they were stored.
        XCTAssertEqual(
            try stories(["--since", "1h"]).map { $0["title"] as? String },
            try stories(["--lang", "fr"]).map { $0["title"] as? String })
        XCTAssertEqual(
            try XCTUnwrap(try json(runTidings(["articles", "--json", "--since", "1h", "--db", db])) as? [Any]).count, 3)
        let bad = try runTidings(["stories", "--since", "yesterday", "--db", db])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--since"), bad.stderr)
        let unknown = try runTidings(["stories", "--feed", "nope", "--db", db])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no feed matches 'nope'"), unknown.stderr)

        let articles = try XCTUnwrap(try json(runTidings(["articles", "--json", "--db", db])) as? [[String: Any]])
        XCTAssertEqual(articles.count, 15)
        let french = try XCTUnwrap(
            try json(runTidings(["articles", "--json", "--lang", "fr", "--limit", "2", "--db", db])) as? [[String: Any]]
        )
        XCTAssertEqual(french.count, 2)
        let id = try XCTUnwrap(french.first?["id"] as? Int)
        let one = try XCTUnwrap(try json(runTidings(["articles", String(id), "--json", "--db", db])) as? [String: Any])
        XCTAssertEqual(one["lang"] as? String, "fr")
        XCTAssertGreaterThan((one["text"] as? String ?? "").count, 500)
        let story = try XCTUnwrap(
            try json(runTidings(["show", String(id), "--article", "--json", "--db", db])) as? [String: Any])
        XCTAssertEqual(story["article"] as? Int, id)
        XCTAssertEqual((story["articles"] as? [[String: Any]])?.count, 5, "the article's story: the five seed pages")
        XCTAssertEqual(
            try runTidings(["show", "99999", "--article", "--db", db]).stderr.contains("no article 99999"), true)
        // Piped output is plain tab-separated lines, one per row, no header.
        let plain = try runTidings(["articles", "--db", db])
        XCTAssertEqual(plain.stdout.split(separator: "\n").count, 15)
        XCTAssertTrue(plain.stdout.split(separator: "\n").allSatisfy { $0.split(separator: "\t").count == 6 })
    }

    func testExportVacuumBackupCheckAndCompletions() throws {
        let (dir, db) = try makeStore()
        let jsonl = try runTidings(["export", "--format", "jsonl", "--db", db])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        let lines = jsonl.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 15)
        for l in lines {
            let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
            for key in ["id", "story", "title", "url", "source", "published", "lang", "text", "categories"] {
                XCTAssertTrue(o.keys.contains(key), key)
            }
        }
        let csv = try runTidings(["export", "--format", "csv", "--lang", "fr", "--db", db])
        XCTAssertTrue(
            csv.stdout.hasPrefix("id,story,title,url,source,published,author,lang,text,categories\r\n"),
            String(csv.stdout.prefix(100)))
        XCTAssertEqual(csv.stdout.components(separatedBy: ",fr,\"").count - 1, 5, "five French rows, each text quoted")

        let backup = dir.appendingPathComponent("backup.db").path
        XCTAssertEqual(try runTidings(["backup", backup, "--db", db]).status, 0)
        XCTAssertEqual(try runTidings(["check", "--db", backup]).status, 0)
        XCTAssertEqual(
            try runTidings(["stories", "--json", "--db", backup]).stdout,
            try runTidings(["stories", "--json", "--db", db]).stdout)
        let twice = try runTidings(["backup", backup, "--db", db])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.contains("already exists"), twice.stderr)

        let vacuum = try runTidings(["vacuum", "--db", db])
        XCTAssertEqual(vacuum.status, 0, vacuum.stderr)
        XCTAssertEqual(try runTidings(["check", "--db", db]).stdout, "\(db): ok\n")
        let notDB = dir.appendingPathComponent("tidings.toml").path
        XCTAssertEqual(try runTidings(["check", "--db", notDB]).status, 1)

        let bash = try runTidings(["--generate-completion-script", "bash"])
        XCTAssertEqual(bash.status, 0)
        XCTAssertTrue(
            bash.stdout.contains("complete") && bash.stdout.contains("stories") && bash.stdout.contains("--since"))
        XCTAssertTrue(try runTidings(["--generate-completion-script", "zsh"]).stdout.contains("#compdef tidings"))
        XCTAssertTrue(
            try runTidings(["--generate-completion-script", "fish"]).stdout.contains("complete -c 'tidings'"))
        XCTAssertEqual(try runTidings(["--generate-completion-script", "tcsh"]).status, 64)
        // The bash script completes for real: subcommands, nested ones, options, option values, and a value that
        // happens to spell a command name does not count as one. Bash calls the function with the command, the
        // word being completed and the one before it, and sets the COMP_ variables.
        let script = dir.appendingPathComponent("tidings.bash")
        try bash.stdout.write(to: script, atomically: true, encoding: .utf8)
        func complete(_ words: [String]) throws -> String {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let line = words.joined(separator: " ")
            let call =
                "source '\(script.path)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; "
                + "COMP_POINT=${#COMP_LINE}; _tidings tidings '\(words[words.count - 1])' '\(words[words.count - 2])'; "
                + "echo \"${COMPREPLY[*]}\""
            let r = try runTool("bash", ["-c", call])
            return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try complete(["tidings", "st"]), "stories stats")
        XCTAssertEqual(try complete(["tidings", "feeds", "a"]), "add")
        XCTAssertEqual(try complete(["tidings", "cluster", "--c"]), "--config")
        XCTAssertEqual(try complete(["tidings", "export", "--format", ""]), "jsonl csv")
        XCTAssertEqual(try complete(["tidings", "stories", "--db", "feeds", "--li"]), "--limit")
    }

    /// The CLI reads while `tidings serve` writes: never "database is locked".
    func testReadersWhileTheDaemonWrites() throws {
        let site = try SlowNewsSite()
        let dir = temporaryDirectory("tidings-readers")
        let config = try site.config(in: dir, database: "live.db")
        let db = dir.appendingPathComponent("live.db").path
        let serve = Process()
        serve.executableURL = tidingsExecutable()
        serve.arguments = ["serve", "--config", config, "--log-level", "error"]
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer {
            if serve.isRunning {
                serve.terminate()
                serve.waitUntilExit()
            }
        }
        let started = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: db) {
            guard Date() < started else { return XCTFail("serve made no database in 30 s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        var reads = 0
        var sawGrowth = Set<Int>()
        let deadline = Date().addingTimeInterval(8)
        while Date() < deadline {
            for args in [
                ["stories", "--json"], ["search", "the"], ["stats", "--json"], ["articles", "--limit", "5"],
            ] {
                let r = try runTidings(args + ["--db", db])
                XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
                XCTAssertFalse(r.stderr.contains("locked"), r.stderr)
                if args[0] == "stats",
                    let n = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?[
                        "articles"] as? Int
                {
                    sawGrowth.insert(n)
                    if n == 140 { break }
                }
                reads += 1
            }
            if sawGrowth.contains(140) { break }
        }
        XCTAssertGreaterThan(
            sawGrowth.count, 2, "reads happened while articles were being written: \(sawGrowth.sorted())")
        serve.terminate()
        serve.waitUntilExit()
        XCTAssertEqual(serve.terminationStatus, 0)
        _ = reads
    }
}
