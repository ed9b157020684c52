import Foundation
import Service
import Store
import TestSupport
import XCTest

func seedFile(_ name: String) throws -> Data {
    try Data(contentsOf: Bundle.module.url(forResource: "Fixtures/seeds/\(name)", withExtension: nil)!)
}

let seedPages = [
    "000_52ffa47a50d1332b.txt", "001_daf677524cb6ea17.txt", "002_37583b9e21bd8735.txt",
    "003_e9cc385765b94f2b.txt", "004_765b164ab8e23b0a.txt",
]

/// Serves the seeds feed and pages over real HTTP; `pageStatus` can make a page fail.
final class SeedSite: Sendable {
    let server: TestHTTPServer
    private let failing: Shared<Set<String>>
    private let feedStatus: Shared<Int>

    init(etag: Bool = true) throws {
        let failing = Shared<Set<String>>([])
        let feedStatus = Shared<Int>(200)
        let feed = try seedFile("feed.xml")
        var pages: [String: Data] = [:]
        for p in seedPages { pages["/" + p] = try seedFile(p) }
        let frozen = pages
        server = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                let status = feedStatus.value
                if status == 301 { return TestResponse(status: 301, headers: [("Location", "/moved/feed.xml")]) }
                if status != 200 { return TestResponse(status: status) }
                if etag && r.headers["if-none-match"] == "\"seeds-1\"" { return TestResponse(status: 304) }
                return TestResponse(
                    status: 200,
                    headers: [("Content-Type", "application/rss+xml")] + (etag ? [("ETag", "\"seeds-1\"")] : []),
                    body: feed)
            }
            if r.path == "/moved/feed.xml" {
                return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: feed)
            }
            if failing.value.contains(r.path) || failing.value.contains("/moved" + r.path) {
                return TestResponse(status: 503)
            }
            let name = "/" + (r.path.split(separator: "/").last.map(String.init) ?? "")
            if let p = frozen[name] {
                return TestResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: p)
            }
            return TestResponse(status: 404)
        }
        self.failing = failing
        self.feedStatus = feedStatus
    }

    func fail(_ page: String?) { failing.set(page.map { ["/" + $0] } ?? []) }
    func setFeedStatus(_ s: Int) { feedStatus.set(s) }
    var feedURL: String { server.baseURL + "/feed.xml" }
}

/// A pipeline over `feeds` on a real database file at `db` (no jitter; `configure` changes anything else).
func makePipeline(
    _ feeds: [String], db: String, configure: (inout Config) -> Void = { _ in }
) throws -> (Pipeline, Store) {
    var config = Config(database: db)
    config.feeds = feeds.map { FeedConfig(url: $0) }
    config.jitter = 0
    configure(&config)
    let store = try Store(path: db)
    return (try Pipeline(config: config, store: store, logger: Logger(level: .error)), store)
}

final class PipelineTests: XCTestCase {
    func pipeline(_ feeds: [String], db: String) throws -> (Pipeline, Store) { try makePipeline(feeds, db: db) }

    func testSeedsOverHTTPThenNotModified() throws {
        let site = try SeedSite()
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try pipeline([site.feedURL], db: db)
        let first = p.runCycle()
        XCTAssertEqual(first.newArticles, 5)
        XCTAssertEqual(first.feedErrors, 0)
        XCTAssertEqual(try store.stories().count, 1)
        XCTAssertEqual(Set(try store.stories()[0].articles.compactMap(\.url)).count, 5)
        XCTAssertTrue(
            try store.stories()[0].articles.allSatisfy { $0.url!.hasPrefix(site.server.baseURL) },
            "relative links resolved against the feed's URL")
        let second = p.runCycle()
        XCTAssertEqual(second.notModified, 1)
        XCTAssertEqual(second.newArticles, 0)
        XCTAssertEqual(
            site.server.requests.filter { $0.path == "/feed.xml" }.last?.headers["if-none-match"], "\"seeds-1\"")
    }

    func testAFailedPageIsRetriedNextCycleAndNothingIsDoubled() throws {
        let site = try SeedSite(etag: false)
        site.fail(seedPages[2])
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try pipeline([site.feedURL], db: db)
        let first = p.runCycle()
        XCTAssertEqual(first.newArticles, 4)
        XCTAssertEqual(first.articleErrors, 1)
        site.fail(nil)
        let second = p.runCycle()
        XCTAssertEqual(second.newArticles, 1)
        XCTAssertEqual(second.seenEntries, 4)
        XCTAssertEqual(try store.counts().articles, 5)
        XCTAssertEqual(try store.stories().count, 1, "the late article joins the story it belongs to")
    }

    /// With an ETag the server would answer 304 next time: the validator is kept back until every entry is stored.
    func testAFailedPageIsRetriedEvenWhenTheFeedHasAnETag() throws {
        let site = try SeedSite(etag: true)
        site.fail(seedPages[1])
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try pipeline([site.feedURL], db: db)
        XCTAssertEqual(p.runCycle().newArticles, 4)
        XCTAssertNil(try store.feeds()[0].etag, "no validator while an entry is missing")
        site.fail(nil)
        let second = p.runCycle()
        XCTAssertEqual(second.newArticles, 1)
        XCTAssertEqual(second.notModified, 0)
        XCTAssertEqual(try store.feeds()[0].etag, "\"seeds-1\"")
        XCTAssertEqual(p.runCycle().notModified, 1)
        XCTAssertEqual(try store.counts().articles, 5)
    }

    /// 429 and 503 with Retry-After push the next poll at least that far; max-age is a lower bound on the next poll.
    func testRetryAfterAndMaxAgeSetTheNextPoll() throws {
        let status = Shared<(Int, [(String, String)])>((429, [("Retry-After", "7200")]))
        let feed = try seedFile("feed.xml")
        let server = try TestHTTPServer { _ in
            let (code, headers) = status.value
            return TestResponse(
                status: code, headers: headers + [("Content-Type", "application/rss+xml")],
                body: code == 200 ? feed : Data())
        }
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try pipeline([server.baseURL + "/feed.xml"], db: db)
        let now = Date()
        XCTAssertEqual(p.runCycle(now: now).feedErrors, 1)
        var f = try store.feeds()[0]
        XCTAssertEqual(f.lastStatus, 429)
        XCTAssertGreaterThanOrEqual(f.nextPoll!.timeIntervalSince(now), 7200 - 1, "Retry-After honoured")
        XCTAssertEqual(p.runCycle(onlyDue: true, now: now.addingTimeInterval(3600)).feeds, 0, "not polled before then")

        status.set((503, [("Retry-After", "Fri, 31 Dec 2060 23:59:59 GMT")]))
        XCTAssertEqual(p.runCycle(now: now).feedErrors, 1)
        f = try store.feeds()[0]
        XCTAssertEqual(
            f.nextPoll!.timeIntervalSince(now), 7 * 86400, accuracy: 1, "an HTTP date works too, capped at a week")

        status.set((200, [("Cache-Control", "public, max-age=7200")]))
        XCTAssertEqual(p.runCycle(now: now).newArticles, 5)
        f = try store.feeds()[0]
        XCTAssertNil(f.lastError)
        XCTAssertGreaterThanOrEqual(
            f.nextPoll!.timeIntervalSince(now), 7200 - 1, "max-age is a lower bound on the next poll")
    }

    func testRestartRebuildsTheStoryIndex() throws {
        let site = try SeedSite(etag: false)
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        site.fail(seedPages[4])
        do {
            let (p, _) = try pipeline([site.feedURL], db: db)
            XCTAssertEqual(p.runCycle().newArticles, 4)
        }
        site.fail(nil)
        let (again, store) = try pipeline([site.feedURL], db: db)
        XCTAssertEqual(again.runCycle().newArticles, 1)
        XCTAssertEqual(try store.stories().count, 1, "after a restart the fifth page still joins the first four")
    }

    func testGoneFeedIsRetiredAndMovedFeedFollowed() throws {
        let site = try SeedSite()
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try pipeline([site.feedURL], db: db)
        site.setFeedStatus(301)
        XCTAssertEqual(p.runCycle().newArticles, 5)
        XCTAssertEqual(
            try store.feeds().first?.url, site.server.baseURL + "/moved/feed.xml", "301 updates the stored address")

        let db2 = temporaryDirectory().appendingPathComponent("q.db").path
        let (q, store2) = try pipeline([site.feedURL], db: db2)
        site.setFeedStatus(410)
        XCTAssertEqual(q.runCycle().newArticles, 0)
        let feed = try XCTUnwrap(try store2.feeds().first)
        XCTAssertTrue(feed.retired)
        XCTAssertEqual(feed.lastStatus, 410)
        XCTAssertEqual(q.runCycle().feeds, 0, "a retired feed is not fetched again")
    }
}

final class ConfigTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let path = temporaryDirectory().appendingPathComponent("tidings.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTheShippedConfigurationLoads() throws {
        let c = try Config.load(path: repositoryRoot().appendingPathComponent("config/tidings.toml").path)
        XCTAssertEqual(c.feeds.count, 1)
        XCTAssertTrue(c.feeds[0].url.hasPrefix("file://") && c.feeds[0].url.hasSuffix("seeds/feed.xml"))
        XCTAssertEqual(c.pollInterval, 1800)
        XCTAssertEqual(c.limits.maxBodyBytes, 16_777_216)
        XCTAssertEqual(c.stories.windowHours, 72)
    }

    func testErrorsNameFileLineAndExpectation() throws {
        let cases: [(String, Int, String)] = [
            ("database = 5\n", 1, "expects a string"),
            ("[poll]\ninterval = \"soon\"\n", 2, "expects a duration"),
            ("[poll]\nintervall = 5\n", 2, "did you mean 'interval'"),
            ("[[feed]]\ntitle = \"no url\"\n", 1, "needs a url"),
            ("[limits]\nmax_redirects = 500\n", 2, "between 0 and 50"),
            ("[poll]\n[poll]\n", 2, "defined twice"),
            ("database = \"a.db\" extra\n", 1, "end of the line"),
            ("when = 2024-06-19\n", 1, "dates are not supported"),
            // Durations are bounded (1e300 trapped with SIGILL, in a reload too).
            ("[limits]\nlow_speed_time = \"1e300d\"\n", 2, "between 0 and 366 days"),
            ("[limits]\ntimeout = 1e300\n", 2, "between 0 and 366 days"),
            ("[poll]\ninterval = 1e308\n", 2, "between 0 and 366 days"),
            ("[poll]\nmax_interval = \"-5m\"\n", 2, "between 0 and 366 days"),
            ("[poll]\nmin_interval = nan\n", 2, "between 0 and 366 days"),
            // Feed addresses: only what tidings fetches, on one line.
            ("[[feed]]\nurl = \"javascript:alert(1)\"\n", 2, "scheme tidings does not fetch"),
            ("[[feed]]\nurl = \"http://a.example/x\\n1\"\n", 2, "control character"),
            ("[[feed]]\nurl = \"https:///nohost\"\n", 2, "with a host"),
        ]
        for (text, line, message) in cases {
            let path = try write(text)
            XCTAssertThrowsError(try Config.load(path: path), text) { e in
                let d = "\(e)"
                XCTAssertTrue(d.hasPrefix("\(path):\(line):"), "\(text) → \(d)")
                XCTAssertTrue(d.contains(message), "\(text) → \(d)")
            }
        }
    }

    func testTOMLValues() throws {
        let q3 = String(repeating: "\"", count: 3)
        let t = try TOML.parse(
            """
            a = "x\\ty" # comment
            b = 'C:\\raw'
            c = [1, 2,
                 3]
            d = { e = true, f = 1.5 }
            m = \(q3)
            two
            lines\(q3)
            n = '''raw \\n'''
            [[g]]
            h = 1
            [[g]]
            h = 2
            """)
        XCTAssertEqual(t["a"]?.kind, .string("x\ty"))
        XCTAssertEqual(t["b"]?.kind, .string("C:\\raw"))
        guard case .array(let c) = t["c"]?.kind else { return XCTFail() }
        XCTAssertEqual(c.count, 3)
        guard case .table(let d) = t["d"]?.kind else { return XCTFail() }
        XCTAssertEqual(d["f"]?.kind, .float(1.5))
        guard case .array(let g) = t["g"]?.kind else { return XCTFail() }
        XCTAssertEqual(g.count, 2)
        XCTAssertEqual(t["c"]?.line, 3)
        XCTAssertEqual(t["m"]?.kind, .string("two\nlines"))
        XCTAssertEqual(t["n"]?.kind, .string("raw \\n"))
    }
}
