import Foundation
import Store
import TestSupport
import XCTest

/// `tidings serve` with [http] listen, on a real port over a real store filled from the seeds: every route of the
/// API and of the web page, bad input, and the token rule.
final class WebServerTests: XCTestCase {
    /// A daemon that stored the five seed pages, its port and its folder.
    private func startSeeded() throws -> (Process, Int, URL) {
        let daemon = try SeedDaemon.start("tidings-web")
        return (daemon.process, daemon.port, daemon.folder)
    }

    static let token = "a-long-enough-test-token-0123456789"

    func testAPIRoutesAnswerInTheCLIShapes() throws {
        let (serve, port, dir) = try startSeeded()
        defer { serve.stopIfRunning() }
        let db = dir.appendingPathComponent("seeds.db").path

        // The story list: the seed story with its five outlets, in the shape of `stories --json`.
        let list = httpRequest(port: port, "/api/stories")
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.headers["content-type"], "application/json; charset=utf-8")
        let stories = try object(list.body)["stories"] as? [[String: Any]] ?? []
        XCTAssertEqual(stories.count, 1)
        XCTAssertEqual((stories.first?["articles"] as? [Any])?.count, 5)
        let cli = try runTidings(["stories", "--json", "--db", db])
        XCTAssertEqual(try array(cli.stdout).count, 1)
        XCTAssertEqual(
            try JSONSerialization.data(withJSONObject: stories, options: .sortedKeys),
            try JSONSerialization.data(withJSONObject: try array(cli.stdout), options: .sortedKeys),
            "the API's stories are the CLI's")

        // One story with texts, as `show --json` prints it.
        let id = stories[0]["id"] as? Int ?? 0
        let one = httpRequest(port: port, "/api/stories/\(id)")
        XCTAssertEqual(one.status, 200)
        let show = try runTidings(["show", String(id), "--json", "--db", db])
        XCTAssertEqual(
            try JSONSerialization.jsonObject(with: Data(one.body.utf8)) as? NSDictionary,
            try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? NSDictionary)
        let texts = (try object(one.body)["articles"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        XCTAssertEqual(texts.count, 5)
        XCTAssertTrue(texts.allSatisfy { $0.count > 200 }, "every article carries its clean text")

        // Articles, paged with the cursor: five distinct articles, two at a time, then no next page.
        var seen: [Int] = []
        var cursor: String? = nil
        for _ in 0..<5 {
            let r = httpRequest(port: port, "/api/articles?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            XCTAssertEqual(r.status, 200, r.body)
            let o = try object(r.body)
            seen += (o["articles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            cursor = o["next"] as? String
            if cursor == nil { break }
        }
        XCTAssertEqual(seen.count, 5)
        XCTAssertEqual(Set(seen).count, 5, "no article twice across pages")
        let article = httpRequest(port: port, "/api/articles/\(seen[0])")
        XCTAssertEqual(article.status, 200)
        XCTAssertNotNil(try object(article.body)["text"] as? String)

        // Search, feeds, stats, metrics.
        let search = httpRequest(port: port, "/api/search?q=pyongyang")
        XCTAssertEqual(search.status, 200)
        let hits = try object(search.body)["results"] as? [[String: Any]] ?? []
        XCTAssertFalse(hits.isEmpty)
        XCTAssertTrue((hits.first?["snippet"] as? String ?? "").lowercased().contains("[pyongyang]"))
        let feeds = try object(httpRequest(port: port, "/api/feeds").body)["feeds"] as? [[String: Any]] ?? []
        XCTAssertEqual(feeds.count, 1)
        XCTAssertEqual(feeds.first?["errors_in_a_row"] as? Int, 0)
        XCTAssertEqual(try object(httpRequest(port: port, "/api/stats").body)["stories"] as? Int, 1)
        let metrics = httpRequest(port: port, "/metrics")
        XCTAssertEqual(metrics.status, 200, metrics.body)
        XCTAssertTrue(metrics.body.contains("tidings_articles_stored_total 5"), metrics.body)

        // A HEAD gets the headers alone.
        let head = httpRequest(port: port, "HEAD", "/api/stats")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
    }

    func testPagesRenderTheSeedStory() throws {
        let (serve, port, _) = try startSeeded()
        defer { serve.stopIfRunning() }
        let list = httpRequest(port: port, "/")
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(list.body.contains("5 articles from 5 outlets"), list.body)
        XCTAssertTrue(list.body.contains("href=\"/stories/1\""))
        let story = httpRequest(port: port, "/stories/1")
        XCTAssertEqual(story.status, 200)
        XCTAssertEqual(story.body.components(separatedBy: "<article class=\"report\"").count - 1, 5)
        for outlet in ["24matins", "seed site 000", "seed site 001", "seed site 003", "seed site 004"] {
            XCTAssertTrue(story.body.contains(outlet), outlet)
        }
        // The articles' texts alone (bylines name authors and outlets, which a page's chrome may name too).
        let texts = story.body.components(separatedBy: "<div class=\"text\">").dropFirst()
            .map { fold($0.components(separatedBy: "</div>")[0]) }.joined(separator: "\n")
        for seed in try seedExpectations() {
            for line in seed.body.split(separator: "\n").prefix(3) {
                XCTAssertTrue(
                    texts.contains(fold(escaped(String(line)))), "\(seed.file): text on the page: \(line.prefix(60))")
            }
            let body = Set(seed.body.split(separator: "\n").map { fold(String($0)) })
            for chrome in seed.not_body.map(fold) where !body.contains(chrome) && chrome != fold(seed.title) {
                XCTAssertFalse(
                    texts.contains(fold(escaped(chrome))), "\(seed.file): chrome in a text: \(chrome.prefix(60))")
            }
        }
        let search = httpRequest(port: port, "/search?q=pyongyang")
        XCTAssertTrue(search.body.contains("<mark>Pyongyang</mark>"), search.body)
        let feeds = httpRequest(port: port, "/feeds")
        XCTAssertTrue(feeds.body.contains("seeds/feed.xml"))
        XCTAssertEqual(httpRequest(port: port, "/style.css").headers["content-type"], "text/css; charset=utf-8")
        // Every page declares its language and its width, and links its one style sheet.
        XCTAssertTrue(list.body.contains("<html lang=\"en\">"))
        XCTAssertTrue(list.body.contains("name=\"viewport\""))
    }

    func testBadInputGetsOneClearErrorNeverInternals() throws {
        let (serve, port, _) = try startSeeded()
        defer { serve.stopIfRunning() }
        let cases: [(String, String, Int, String)] = [
            ("GET", "/api/stories/abc", 400, "story id must be a positive whole number"),
            ("GET", "/api/stories/999999", 404, "no story 999999"),
            ("GET", "/api/articles/0", 400, "article id"),
            ("GET", "/api/articles/424242", 404, "no article 424242"),
            ("GET", "/api/stories?limit=0", 400, "limit must be a whole number from 1 to 200"),
            ("GET", "/api/stories?limit=100000", 400, "limit must be"),
            ("GET", "/api/stories?since=yesterday", 400, "since expects"),
            ("GET", "/api/stories?cursor=not-a-cursor", 400, "cursor"),
            ("GET", "/api/stories?feed=nowhere", 400, "no feed matches 'nowhere'"),
            ("GET", "/api/stories?lmit=5", 400, "unknown parameter 'lmit'"),
            ("GET", "/api/stories?lang=en&lang=fr", 400, "'lang' is given twice"),
            ("GET", "/api/stories?lang=%ZZ", 400, "percent-encoded"),
            ("GET", "/api/search", 400, "q is required"),
            ("GET", "/api/search?q=%22unclosed", 400, "cannot search for"),
            ("GET", "/api/search?q=AND", 400, "cannot search for"),
            ("GET", "/api/search?q=" + String(repeating: "a", count: 1001), 400, "longer than 1000 bytes"),
            ("GET", "/api/search?q=" + String(repeating: "w+", count: 40), 400, "at most 32"),
            ("GET", "/api/" + String(repeating: "x", count: 5000), 414, "longer than 4096 bytes"),
            ("GET", "/api/nothing", 404, "nothing at /api/nothing"),
            ("POST", "/api/stories", 405, "this server only reads"),
            ("DELETE", "/api/stories/1", 405, "this server only reads"),
            ("PUT", "/", 405, "this server only reads"),
            ("GET", "/stories/999999", 404, "no story 999999"),
            ("GET", "/?since=tomorrowish", 400, "since expects"),
        ]
        for (method, target, status, message) in cases {
            let r = httpRequest(port: port, method, target)
            XCTAssertEqual(r.status, status, "\(method) \(target.prefix(60)): \(r.body.prefix(300))")
            XCTAssertTrue(r.body.contains(message), "\(method) \(target.prefix(60)): \(r.body.prefix(300))")
            for leak in ["SELECT", "sqlite", "Fatal", "fts5", "seeds.db", "Swift", "Error("] {
                XCTAssertFalse(r.body.contains(leak), "\(target.prefix(60)) shows '\(leak)': \(r.body.prefix(300))")
            }
            if target.hasPrefix("/api/") && status != 414 {
                XCTAssertNotNil(try? object(r.body)["error"] as? String, "an API error is {\"error\": …}")
            }
        }
        // A malformed search on the page is said on the page, with the form to fix it.
        let page = httpRequest(port: port, "/search?q=%22unclosed")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("class=\"error\""))
        // A story merged into another answers at its old address with a redirect (see StoryMergeTests for
        // merges); an id that never was is 404, as above.
    }

    func testTokenIsRequiredWhenBoundBeyondLoopback() throws {
        let dir = temporaryDirectory("tidings-web-token")
        try runTidings([
            "demo", "--db", dir.appendingPathComponent("d.db").path, "--seeds", repositoryRoot().path + "/seeds",
        ])
        // Reachable from other machines without a token: refused at start, saying what to set.
        let open = try runTidings(
            ["web", "--db", dir.appendingPathComponent("d.db").path, "--listen", "0.0.0.0:\(closedLocalPort())"],
            deadline: 30)
        XCTAssertNotEqual(open.status, 0)
        XCTAssertTrue(open.stderr.contains("set token"), open.stderr)

        // With a token: nothing without it, everything with it (header or the sign-in cookie).
        let port = closedLocalPort()
        let config = dir.appendingPathComponent("tidings.toml")
        try """
        database = "d.db"
        [http]
        listen = "0.0.0.0:\(port)"
        token = "\(WebServerTests.token)"
        """.write(to: config, atomically: true, encoding: .utf8)
        let web = Process()
        web.executableURL = tidingsExecutable()
        web.arguments = ["web", "--config", config.path]
        web.standardError = FileHandle.nullDevice
        try web.run()
        defer { web.stopIfRunning() }
        XCTAssertTrue(eventually(20) { httpRequest(port: port, "/api/stats").status != 0 })
        let denied = httpRequest(port: port, "/api/stats")
        XCTAssertEqual(denied.status, 401)
        XCTAssertEqual(denied.headers["www-authenticate"], "Bearer realm=\"tidings\"")
        XCTAssertFalse(denied.body.contains("articles"))
        XCTAssertEqual(httpRequest(port: port, "/").status, 401)
        XCTAssertEqual(httpRequest(port: port, "/stories/1").status, 401)
        XCTAssertEqual(
            httpRequest(port: port, "/api/stats", headers: ["Authorization": "Bearer wrong-token-of-some-length"])
                .status, 401)
        let allowed = httpRequest(
            port: port, "/api/stats", headers: ["Authorization": "Bearer \(WebServerTests.token)"])
        XCTAssertEqual(allowed.status, 200)
        XCTAssertTrue(allowed.body.contains("\"articles\":5"))
        let wrong = httpRequest(
            port: port, "POST", "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "token=nope")
        XCTAssertEqual(wrong.status, 401)
        let signIn = httpRequest(
            port: port, "POST", "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "token=\(WebServerTests.token)")
        XCTAssertEqual(signIn.status, 303)
        let cookie = signIn.headers["set-cookie"] ?? ""
        XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
        let page = httpRequest(port: port, "/", headers: ["Cookie": String(cookie.prefix { $0 != ";" })])
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("5 articles from 5 outlets"))
    }

    /// Text as the page escapes it.
    private func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }

    /// A story merged into another (a later article showed them one event) answers at its old address: the page
    /// redirects to the story it went into, the API gives that story.
    func testAMergedStoryLeadsToTheOneItWentInto() throws {
        let dir = temporaryDirectory("tidings-web-merge")
        let db = dir.appendingPathComponent("d.db").path
        try runTidings(["demo", "--db", db, "--seeds", repositoryRoot().path + "/seeds"])
        do {
            let store = try Store(path: db)
            _ = try store.record(
                NewArticle(
                    feedID: nil, entryKey: "later", url: "https://example.org/later", canonicalURL: nil,
                    title: "A later report", author: nil, published: Date(), language: "fr",
                    text: "Une autre dépêche sur la visite.", contentHash: nil, source: "example.org", storyID: 2,
                    reason: "new", similarity: 0),
                storyTitle: "A later report")
            try store.mergeStories([2], into: 1)
        }
        let port = closedLocalPort()
        let web = Process()
        web.executableURL = tidingsExecutable()
        web.arguments = ["web", "--db", db, "--listen", "127.0.0.1:\(port)"]
        web.standardError = FileHandle.nullDevice
        try web.run()
        defer { web.stopIfRunning() }
        XCTAssertTrue(eventually(20) { httpRequest(port: port, "/api/stats").status == 200 })
        let page = httpRequest(port: port, "/stories/2")
        XCTAssertEqual(page.status, 301)
        XCTAssertEqual(page.headers["location"], "/stories/1")
        let api = httpRequest(port: port, "/api/stories/2")
        XCTAssertEqual(api.status, 200)
        XCTAssertEqual(try object(api.body)["id"] as? Int, 1)
        XCTAssertEqual((try object(api.body)["articles"] as? [Any])?.count, 6)
    }

    private func object(_ s: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any], s)
    }

    private func array(_ s: String) throws -> [Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [Any], s)
    }
}
