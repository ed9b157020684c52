import Foundation
import Service
import Store
import Stories
import TestSupport
import XCTest

/// What one outlet re-publishing its articles can do to the store, and what a regroup keeps.
final class RepublishedEntryTests: XCTestCase {
    /// A feed whose four entries get a new GUID and new tracking parameters on every poll: each article is stored
    /// once, however many cycles run (it was stored again on every poll: 4 entries, 20 rows in 5 cycles).
    func testNewGUIDsAndTrackingParametersDoNotStoreAnArticleAgain() throws {
        let polls = Shared<Int>(0)
        var pages: [String: Data] = [:]
        for p in seedPages.prefix(4) { pages["/" + p] = try seedFile(p) }
        let frozen = pages
        let server = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                let n = polls.value + 1
                polls.set(n)
                let items = seedPages.prefix(4).map { p in
                    "<item><title>\(p)</title><guid isPermaLink=\"false\">poll-\(n)-\(p)</guid>"
                        + "<link>/\(p)?utm_source=rss&amp;utm_campaign=poll\(n)&amp;fbclid=\(n)</link></item>"
                }.joined()
                let feed =
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Republisher</title>\(items)</channel></rss>"
                return TestResponse(
                    status: 200, headers: [("Content-Type", "application/rss+xml")], body: Data(feed.utf8))
            }
            let path = r.path.split(separator: "?").first.map(String.init) ?? r.path
            if let p = frozen[path] {
                return TestResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: p)
            }
            return TestResponse(status: 404)
        }
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (pipeline, store) = try makePipeline([server.baseURL + "/feed.xml"], db: db)
        XCTAssertEqual(pipeline.runCycle().newArticles, 4)
        for _ in 0..<4 {
            let report = pipeline.runCycle()
            XCTAssertEqual(report.newArticles, 0)
            XCTAssertEqual(report.articleErrors, 0)
        }
        XCTAssertEqual(polls.value, 5, "every cycle read the feed")
        XCTAssertEqual(try store.counts().articles, 4)
    }

    /// `regroup` over a store whose articles each sit in a story of their own puts the seed pages into one story,
    /// keeps every article, and the old story ids lead to it.
    func testRegroupJoinsTheSeedPagesAndOldIDsResolve() throws {
        let db = temporaryDirectory().appendingPathComponent("r.db").path
        let store = try Store(path: db)
        var oldStories: [Int64] = []
        for (k, p) in seedPages.enumerated() {
            let text = String(decoding: try seedFile(p), as: UTF8.self)
            let story = Int64(10 + k)
            try store.record(
                NewArticle(
                    feedID: nil, entryKey: p, url: "https://seed\(k).example/\(p)", canonicalURL: nil,
                    title: nil, author: nil, published: Date(timeIntervalSince1970: 1_718_805_960 + Double(k) * 600),
                    language: "fr", text: text, contentHash: nil, source: "seed\(k).example", storyID: story,
                    reason: "new", similarity: 0), storyTitle: "Story \(k)")
            oldStories.append(story)
        }
        let report = try Regroup.run(store: store, settings: ClusterSettings(), since: nil)
        XCTAssertEqual(report.articles, 5)
        XCTAssertEqual(try store.counts().articles, 5)
        XCTAssertEqual(try store.counts().stories, 1)
        let resolved = Set(try oldStories.map { try store.resolveStory($0) })
        XCTAssertEqual(resolved.count, 1)
        XCTAssertEqual(try store.story(id: resolved.first!)?.articles.count, 5)
    }
}
