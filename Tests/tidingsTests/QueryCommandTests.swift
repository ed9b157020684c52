import Foundation
import TestSupport
import XCTest

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
        let serve = try startDaemon(config: URL(fileURLWithPath: config))
        defer { serve.stopIfRunning() }
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
