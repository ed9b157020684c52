import Foundation
import Service
import Store
import TestSupport
import XCTest

/// One feed, or one slow site, cannot hold a cycle: each feed brings a share of new entries, a batch's pages get one
/// transfer timeout, and a slow host takes at most its own connections.
final class FairCycleTests: XCTestCase {
    /// A feed of `count` entries, each with its text (no page to fetch) or linking to `/slow/N`.
    static func feed(title: String, count: Int, linkingTo base: String? = nil) -> Data {
        var xml =
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>\(title)</title>"
        for i in 0..<count {
            xml += "<item><guid>\(title)-\(i)</guid><title>\(title) report \(i)</title>"
            if let base {
                xml += "<link>\(base)/slow/\(i).html</link>"
            } else {
                xml +=
                    "<content:encoded><![CDATA[<p>Report number \(i) of \(title): the council met on day \(i) and voted on item \(i * 7) of its agenda, with \(i % 13) members absent.</p>]]></content:encoded>"
            }
            xml += "</item>"
        }
        return Data((xml + "</channel></rss>").utf8)
    }

    /// 40 entries linking to a site that answers each page after 3 s, beside a good feed: the good feed's articles are
    /// stored in the same cycle, which ends at the batch's page deadline (one transfer timeout, 4 s here) instead of
    /// after 40 × 3 s over two connections; the slow pages are left for the next cycle, not counted as errors.
    func testASlowSiteDoesNotHoldTheCycle() throws {
        let site = try SeedSite(etag: false)
        let holder = Shared<String>("")
        let slow = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                return TestResponse(
                    status: 200, headers: [("Content-Type", "application/rss+xml")],
                    body: FairCycleTests.feed(title: "slow", count: 40, linkingTo: holder.value))
            }
            return TestResponse(
                status: 200, headers: [("Content-Type", "text/html")],
                body: Data("<html><body><p>Late page with enough words in it to be an article.</p></body></html>".utf8),
                delay: 3)
        }
        holder.set(slow.baseURL)
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try makePipeline([slow.baseURL + "/feed.xml", site.feedURL], db: db) { c in
            c.limits.totalTimeout = 4
            c.limits.hostSpacing = 0
        }
        let started = Date()
        let report = p.runCycle()
        let seconds = Date().timeIntervalSince(started)
        XCTAssertLessThan(seconds, 30, "the cycle waited for the slow site (40 pages × 3 s over 2 connections = 60 s)")
        XCTAssertEqual(report.articleErrors, 0, "pages left for later are not errors")
        let stored = try store.stories().flatMap(\.articles).compactMap(\.url)
        XCTAssertEqual(
            stored.filter { $0.hasPrefix(site.server.baseURL) }.count, 5, "the good feed's five articles are stored")
        XCTAssertLessThan(stored.filter { $0.hasPrefix(slow.baseURL) }.count, 40)
    }

    /// A feed of 500 new entries brings 200 into one cycle and the rest in the next ones, read again (not 304).
    func testABigFeedIsReadAShareAtATime() throws {
        let server = try TestHTTPServer { r in
            TestResponse(
                status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"v1\"")],
                body: FairCycleTests.feed(title: "big", count: 500))
        }
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (p, store) = try makePipeline([server.baseURL + "/feed.xml"], db: db)
        XCTAssertEqual(p.runCycle().newArticles, FeedIntake.newEntriesPerFeed)
        XCTAssertNil(server.requests.last?.headers["if-none-match"])
        XCTAssertEqual(p.runCycle().newArticles, FeedIntake.newEntriesPerFeed)
        XCTAssertNil(server.requests.last?.headers["if-none-match"], "the feed is read again, not answered 304")
        XCTAssertEqual(p.runCycle().newArticles, 500 - 2 * FeedIntake.newEntriesPerFeed)
        XCTAssertEqual(p.runCycle().newArticles, 0)
        XCTAssertEqual(
            server.requests.last?.headers["if-none-match"], "\"v1\"", "once everything is read, validators are sent")
        XCTAssertEqual(try store.counts().articles, 500)
    }
}
