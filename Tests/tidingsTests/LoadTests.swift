import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A local news network of `feeds` distinct feeds made from real article text: each feed has ETags, five entries
/// (four with their full text, one linking to a page with chrome around the article), and some feeds are slow or
/// failing. Everything is generated on request from a seed, so ten thousand feeds cost no memory up front.
final class LoadSite: Sendable {
    let server: TestHTTPServer
    let feeds: Int
    static let entriesPerFeed = 5

    /// Feeds that always fail (HTTP 500 or 404): their entries are never expected.
    static func failing(_ n: Int) -> Bool { n % 100 == 1 || n % 100 == 2 }
    /// Feeds that answer after a delay.
    static func slow(_ n: Int) -> Bool { n % 100 == 50 }

    init(feeds: Int) throws {
        struct Row: Decodable { let title, text: String }
        let url = Bundle.module.url(forResource: "Fixtures/faults/crash-articles", withExtension: "jsonl")!
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
        let texts = rows.map { $0.text.split(separator: " ").map(String.init) }.filter { $0.count >= 120 }
        let titles = rows.map(\.title)
        let day = Date(timeIntervalSince1970: 1_795_000_000)
        @Sendable func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        /// Entry k of feed n: a title and a body of 120–300 words cut from one real article, opened by the entry's own
        /// dateline (two entries of one feed may draw the same cut, and one outlet's identical text is one article).
        @Sendable func article(_ n: Int, _ k: Int) -> (title: String, paragraphs: [String]) {
            var h = UInt64(n &* 31 &+ k) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            let words = texts[Int(h % UInt64(texts.count))]
            let length = 120 + Int((h >> 8) % 180)
            let start = Int((h >> 20) % UInt64(max(1, words.count - length)))
            let body = Array(words[start..<min(words.count, start + length)])
            var paragraphs = stride(from: 0, to: body.count, by: 60).map {
                body[$0..<min(body.count, $0 + 60)].joined(separator: " ") + "."
            }
            paragraphs[0] = "Outlet \(n), report \(k): " + paragraphs[0]
            return ("\(titles[Int((h >> 40) % UInt64(titles.count))]) (\(n)-\(k))", paragraphs)
        }
        let rfc822 = DateFormatter()
        rfc822.locale = Locale(identifier: "en_US_POSIX")
        rfc822.timeZone = TimeZone(identifier: "UTC")
        rfc822.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let dates = (0..<(feeds * LoadSite.entriesPerFeed)).map {
            rfc822.string(from: day.addingTimeInterval(Double($0) * 7))
        }
        server = try TestHTTPServer { r in
            let parts = r.path.split(separator: "/")
            if parts.count == 2, parts[0] == "feed", let n = Int(parts[1].dropLast(4)), n < feeds {
                if n % 100 == 1 { return TestResponse(status: 500) }
                if n % 100 == 2 { return TestResponse(status: 404) }
                let etag = "\"feed-\(n)-v1\""
                if r.headers["if-none-match"] == etag { return TestResponse(status: 304, headers: [("ETag", etag)]) }
                var xml =
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Outlet \(n)</title><link>http://outlet-\(n).example/</link>\n"
                for k in 0..<LoadSite.entriesPerFeed {
                    let a = article(n, k)
                    xml +=
                        "<item><guid>http://outlet-\(n).example/\(k)</guid><title>\(escape(a.title))</title><link>/page/\(n)/\(k).html</link>"
                    xml +=
                        "<pubDate>\(dates[n * LoadSite.entriesPerFeed + k])</pubDate><description>\(escape(a.paragraphs[0].prefix(200).description))</description>"
                    if k != 0 {
                        xml +=
                            "<content:encoded><![CDATA[" + a.paragraphs.map { "<p>\($0)</p>" }.joined()
                            + "]]></content:encoded>"
                    }
                    xml += "</item>\n"
                }
                xml += "</channel></rss>\n"
                return TestResponse(
                    status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", etag)],
                    body: Data(xml.utf8),
                    delay: n % 100 == 50 ? 1.5 : 0)
            }
            if parts.count == 3, parts[0] == "page", let n = Int(parts[1]), let k = Int(parts[2].dropLast(5)) {
                let a = article(n, k)
                let html = """
                    <!DOCTYPE html><html><head><title>\(escape(a.title)) | Outlet \(n)</title></head><body>
                    <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
                    <main><article><h1>\(escape(a.title))</h1>\(a.paragraphs.map { "<p>\(escape($0))</p>" }.joined())</article>
                    <aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">Yet another story</a></li></ul></aside></main>
                    <footer>© Outlet \(n). All rights reserved.</footer></body></html>
                    """
                return TestResponse(
                    status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(html.utf8))
            }
            return TestResponse(status: 404)
        }
        self.feeds = feeds
    }

    /// Entries a complete cycle must store.
    var expectedArticles: Int { (0..<feeds).filter { !LoadSite.failing($0) }.count * LoadSite.entriesPerFeed }

    func config(in dir: URL) throws -> String {
        var s = "database = \"load.db\"\n[limits]\nmax_concurrent = 64\nmax_per_host = 64\ntimeout = \"20s\"\n"
        s.reserveCapacity(feeds * 60)
        for n in 0..<feeds { s += "[[feed]]\nurl = \"\(server.baseURL)/feed/\(n).xml\"\n" }
        let path = dir.appendingPathComponent("load.toml")
        try s.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }
}

/// Peak resident memory of the largest child process waited for so far, in MB.
func childrenPeakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

final class LoadTests: XCTestCase {
    /// `run --once` over many feeds: every article once, a second cycle of 304s only. TIDINGS_LOAD_FEEDS sets the size
    /// (CI runs 400; BENCHMARKS.md has the 10 000-feed figures, with TIDINGS_EXECUTABLE pointing at a release build).
    func testManyFeedsFirstCycleThenOnlyNotModified() throws {
        let feeds = Int(ProcessInfo.processInfo.environment["TIDINGS_LOAD_FEEDS"] ?? "") ?? 400
        let site = try LoadSite(feeds: feeds)
        let dir = temporaryDirectory("tidings-load")
        let config = try site.config(in: dir)
        let db = dir.appendingPathComponent("load.db").path

        // TIDINGS_LOAD_LOG=debug prints the first cycle's per-batch phase times.
        let level = ProcessInfo.processInfo.environment["TIDINGS_LOAD_LOG"] ?? "warning"
        let t0 = Date()
        let first = try runTidings(["run", "--once", "--config", config, "--log-level", level])
        let firstSeconds = Date().timeIntervalSince(t0)
        if level == "debug" {
            print(first.stderr.split(separator: "\n").filter { $0.contains("batch ") }.joined(separator: "\n"))
        }
        let rss = childrenPeakRSSMegabytes()
        XCTAssertEqual(first.status, 2, "the failing feeds make it a partial failure")
        let failing = (0..<feeds).filter(LoadSite.failing).count
        XCTAssertTrue(first.stdout.contains("\(site.expectedArticles) new articles"), first.stdout)
        XCTAssertTrue(first.stdout.contains("\(failing) feed errors, 0 article errors"), first.stdout)

        let requestsBefore = site.server.requests.count
        let t1 = Date()
        let second = try runTidings(["run", "--once", "--config", config, "--log-level", "warning"])
        let secondSeconds = Date().timeIntervalSince(t1)
        XCTAssertTrue(second.stdout.contains("0 new articles"), second.stdout)
        XCTAssertTrue(second.stdout.contains("\(feeds - failing) not modified"), second.stdout)
        let secondRequests = site.server.requests[requestsBefore...]
        XCTAssertEqual(secondRequests.count, feeds, "one request per feed, no page fetched again")
        XCTAssertTrue(secondRequests.allSatisfy { $0.path.hasPrefix("/feed/") })

        let stats = try XCTUnwrap(try json(runTidings(["stats", "--json", "--db", db])) as? [String: Any])
        XCTAssertEqual(stats["articles"] as? Int, site.expectedArticles, "not one article lost or doubled")
        XCTAssertEqual(try runTidings(["check", "--db", db]).status, 0)
        print(
            String(
                format:
                    "load: %d feeds, %d articles; first cycle %.1f s, peak RSS %.0f MB; second cycle %.1f s (304s only)",
                feeds, site.expectedArticles, firstSeconds, rss, secondSeconds))
    }
}
