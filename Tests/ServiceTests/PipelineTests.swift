import Foundation
import Service
import Store
import TestSupport
import XCTest

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
