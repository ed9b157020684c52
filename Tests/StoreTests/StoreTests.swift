import Foundation
import XCTest

@testable import Store

final class StoreTests: XCTestCase {
    var path = ""

    override func setUp() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("tidings.db").path
    }

    func article(feed: Int64?, key: String, story: Int64, title: String, text: String) -> NewArticle {
        NewArticle(
            feedID: feed, entryKey: key, url: "https://example.com/\(key)", canonicalURL: "https://example.com/\(key)",
            title: title, author: nil, published: Date(timeIntervalSince1970: 1_718_805_960), language: "fr",
            text: text, contentHash: nil, source: "Example", storyID: story, reason: "new", similarity: 0)
    }

    func testSchemaIsCreatedOnceAndVersioned() throws {
        let s = try Store(path: path)
        XCTAssertEqual(try s.schemaVersion(), Migrations.latest)
        let again = try Store(path: path)
        XCTAssertEqual(try again.schemaVersion(), Migrations.latest)
    }

    /// A database left at every earlier schema version opens, migrates, and keeps what it held.
    func testMigratesFromEveryEarlierVersion() throws {
        for version in 1..<Migrations.latest {
            let file = path + ".v\(version)"
            do {
                let old = try Connection(path: file, readOnly: false)
                try Migrations.apply(to: old, upTo: version)
                try old.query(
                    "INSERT INTO feeds(url, title, added) VALUES ('https://example.com/feed.xml', 'Example', 0)")
                try old.query("INSERT INTO stories(id, title, article_count) VALUES (7, 'Story', 1)")
                try old.query("INSERT INTO templates(host, pages, counts) VALUES ('example.com', 3, x'')")
                try old.query(
                    "INSERT INTO articles(url, title, text, feed_id, story_id, added, lang) VALUES ('https://example.com/a', 'Corée', 'Pyongyang text', 1, 7, 0, 'fr')"
                )
            }
            let s = try Store(path: file)
            XCTAssertEqual(try s.schemaVersion(), Migrations.latest, "from version \(version)")
            let feed = try XCTUnwrap(try s.feeds().first)
            XCTAssertEqual(feed.url, "https://example.com/feed.xml")
            XCTAssertFalse(feed.removed)
            XCTAssertEqual(
                try s.syncFeeds([("https://example.com/feed.xml", nil)]).added, 0,
                "the migrated feed is recognised by its address")
            XCTAssertEqual(try s.search("coree").count, 1)
            XCTAssertEqual(try s.stories(filter: ArticleFilter(language: "fr")).map(\.id), [7])
            XCTAssertEqual(try s.integrityProblems(), [])
            let template = try s.template(host: "example.com")
            XCTAssertEqual(template.pages, 3, "from version \(version)")
            XCTAssertEqual(template.seen, [])
        }
    }

    func testRetentionDeletesOldArticlesAndEmptyStoriesButRemembersEntries() throws {
        let s = try Store(path: path)
        let feed = try s.addFeed(url: "https://example.com/feed.xml")
        var old = article(feed: feed.id, key: "old", story: 1, title: "Old", text: "old text")
        old.published = Date().addingTimeInterval(-40 * 86_400)
        var recent = article(feed: feed.id, key: "new", story: 2, title: "New", text: "new text")
        recent.published = Date().addingTimeInterval(-86_400)
        try s.record(old, storyTitle: "Old")
        try s.record(recent, storyTitle: "New")
        XCTAssertEqual(try s.applyRetention(keepDays: 30), 1)
        XCTAssertEqual(try s.counts().articles, 1)
        XCTAssertEqual(try s.stories().map(\.title), ["New"])
        XCTAssertTrue(
            try s.hasEntry(feedID: feed.id, key: "old"), "the entry is remembered, so it is not fetched again")
        XCTAssertEqual(try s.search("old").count, 0, "gone from the full-text index too")
        XCTAssertEqual(try s.integrityProblems(), [])
    }

    func testSyncFeedsAddsRemovesAndRevives() throws {
        let s = try Store(path: path)
        XCTAssertEqual(try s.syncFeeds([("https://a.example/feed", "A"), ("https://b.example/feed", nil)]).added, 2)
        var moved = try XCTUnwrap(try s.feed(url: "https://b.example/feed"))
        moved.url = "https://b.example/new-feed"  // a 301 followed
        try s.updateFeed(moved)
        let r = try s.syncFeeds([("https://b.example/feed", nil)])
        XCTAssertEqual(r.added, 0, "the moved feed is still the configured one")
        XCTAssertEqual(r.removed, 1)
        XCTAssertEqual(try s.feeds().map(\.isActive), [false, true])
        XCTAssertEqual(try s.syncFeeds([("https://a.example/feed", nil), ("https://b.example/feed", nil)]).added, 0)
        XCTAssertEqual(try s.feeds().map(\.isActive), [true, true])
        XCTAssertEqual(try s.feeds().first?.title, "A")
    }

    func testAnArticleIsStoredOnceWithItsStory() throws {
        let s = try Store(path: path)
        let feed = try s.addFeed(url: "https://example.com/feed.xml", title: "Example")
        XCTAssertEqual(try s.addFeed(url: "https://example.com/feed.xml").id, feed.id, "adding twice keeps one feed")
        let a = article(
            feed: feed.id, key: "guid-1", story: 7, title: "Visite à Pyongyang", text: "La Corée du Nord et la Russie.")
        XCTAssertNotNil(try s.record(a, storyTitle: "Visite à Pyongyang"))
        XCTAssertNil(try s.record(a, storyTitle: nil), "the same entry is never stored twice")
        XCTAssertTrue(try s.hasEntry(feedID: feed.id, key: "guid-1"))
        let story = try XCTUnwrap(try s.story(id: 7))
        XCTAssertEqual(story.title, "Visite à Pyongyang")
        XCTAssertEqual(story.articles.count, 1)
        XCTAssertEqual(story.articles[0].text, "La Corée du Nord et la Russie.")
        XCTAssertEqual(try s.counts().articles, 1)
        XCTAssertEqual(try s.maxStoryID(), 7)
    }

    func testSearchFoldsDiacritics() throws {
        let s = try Store(path: path)
        try s.record(
            article(
                feed: nil, key: "a", story: 1, title: "Poutine à Pyongyang",
                text: "Accord entre la Russie et la Corée du Nord."), storyTitle: nil)
        for q in ["coree", "Corée", "pyongyang"] {
            XCTAssertEqual(try s.search(q).count, 1, q)
        }
        XCTAssertTrue(try s.search("coree")[0].snippet.contains("[Corée]"))
        XCTAssertThrowsError(try s.search("\"unbalanced")) { e in
            XCTAssertTrue("\(e)".contains("cannot search"), "\(e)")
        }
    }

    func testReadersOpenWhileTheWriterHoldsTheStore() throws {
        let writer = try Store(path: path)
        try writer.record(article(feed: nil, key: "a", story: 1, title: "T", text: "Body."), storyTitle: nil)
        let reader = try Store(path: path, readOnly: true)
        XCTAssertEqual(try reader.stories().count, 1)
        XCTAssertThrowsError(try Store(path: path + ".missing", readOnly: true)) { e in
            XCTAssertTrue("\(e)".contains(".missing"))
        }
    }

    func testTemplateMemoryRoundTrips() throws {
        let s = try Store(path: path)
        try s.saveTemplate(
            host: "example.com", pages: 4, counts: [1: 4, 0xFFFF_FFFF_FFFF: 2], seen: [7, 0xFFFF_FFFF_FFFF_FFFE])
        let t = try s.template(host: "example.com")
        XCTAssertEqual(t.pages, 4)
        XCTAssertEqual(t.counts, [1: 4, 0xFFFF_FFFF_FFFF: 2])
        XCTAssertEqual(t.seen, [7, 0xFFFF_FFFF_FFFF_FFFE])
        XCTAssertEqual(try s.template(host: "other.org").pages, 0)
    }

    func testNotADatabaseIsAClearError() throws {
        try "plain text".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Store(path: path)) { e in XCTAssertTrue("\(e)".contains(path), "\(e)") }
    }
}
