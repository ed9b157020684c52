import Foundation
import XCTest

@testable import Store

/// Merged stories, regrouped stories and re-published articles, on a real database file.
final class StoryMergeTests: XCTestCase {
    var path = ""

    override func setUp() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("tidings.db").path
    }

    func article(
        _ key: String, story: Int64, hash: String? = nil, source: String = "Example", id: Int64? = nil,
        copyOf: Int64? = nil
    ) -> NewArticle {
        var a = NewArticle(
            feedID: nil, entryKey: key, url: "https://example.com/\(key)?utm_source=rss",
            canonicalURL: "https://example.com/\(key)", title: "Title \(key)", author: nil,
            published: Date(timeIntervalSince1970: 1_718_805_960), language: "en", text: "Text of \(key).",
            contentHash: hash, source: source, storyID: story, reason: "new", similarity: 0)
        a.id = id
        a.copyOf = copyOf
        return a
    }

    func testMergedStoriesResolveToTheStoryTheyWentInto() throws {
        let s = try Store(path: path)
        for (k, story) in [("a", 1), ("b", 2), ("c", 3), ("d", 3)] as [(String, Int64)] {
            try s.record(article(k, story: story), storyTitle: "Story \(story)")
        }
        try s.mergeStories([3], into: 2)
        try s.mergeStories([2], into: 1)
        XCTAssertEqual(try s.resolveStory(3), 1, "a story merged into a story that was merged later leads to the last")
        XCTAssertEqual(try s.resolveStory(2), 1)
        XCTAssertEqual(try s.resolveStory(1), 1)
        let story = try XCTUnwrap(try s.story(id: 1))
        XCTAssertEqual(story.articles.count, 4)
        XCTAssertEqual(try s.counts().stories, 1)
        XCTAssertEqual(try s.counts().articles, 4, "no article lost")
        XCTAssertGreaterThanOrEqual(try s.maxStoryID(), 3, "merged ids are never handed out again")
    }

    func testAnArticleKeepsTheIDGroupingGaveItAndNamesItsOriginal() throws {
        let s = try Store(path: path)
        let first = try s.nextArticleID()
        try s.record(article("a", story: 1, id: first), storyTitle: "A")
        try s.record(article("b", story: 1, id: first + 1, copyOf: first), storyTitle: nil)
        XCTAssertEqual(try s.nextArticleID(), first + 2)
        let story = try XCTUnwrap(try s.story(id: 1))
        XCTAssertEqual(story.articles.map(\.id), [first, first + 1])
        XCTAssertEqual(story.articles.last?.copyOf, first)
    }

    /// The same article under a new entry key, with other tracking parameters, or re-published with the same text
    /// by the same outlet, is found; another outlet's copy, or another entry of one page, is not.
    func testAStoredCopyIsFoundByAddressOrByTextWithinTheOutlet() throws {
        let s = try Store(path: path)
        let id = try XCTUnwrap(try s.record(article("a", story: 1, hash: "h1"), storyTitle: "A"))
        XCTAssertEqual(
            try s.storedCopy(
                canonicalURL: "https://example.com/a", url: "https://example.com/a?utm_source=x",
                title: "Another title", contentHash: nil, source: nil), id)
        XCTAssertEqual(
            try s.storedCopy(
                canonicalURL: "https://example.com/new-guid", url: nil, title: "x", contentHash: "h1",
                source: "Example"), id)
        XCTAssertNil(
            try s.storedCopy(
                canonicalURL: "https://other.example/a", url: nil, title: "x", contentHash: "h1",
                source: "Other"))
        var one = article("page#one", story: 2)
        one.canonicalURL = "https://example.com/page"
        try s.record(one, storyTitle: nil)
        XCTAssertNil(
            try s.storedCopy(
                canonicalURL: "https://example.com/page", url: "https://example.com/page#two",
                title: "Title two", contentHash: nil, source: nil), "another entry of one page")
        XCTAssertNotNil(
            try s.storedCopy(
                canonicalURL: "https://example.com/page", url: "https://example.com/page#two",
                title: "Title page#one", contentHash: nil, source: nil))
    }

    /// Regrouping moves articles, keeps every one of them, and leaves every old story id resolving.
    func testRegroupKeepsEveryArticleAndResolvesOldIDs() throws {
        let s = try Store(path: path)
        var ids: [Int64] = []
        for (k, story) in [("a", 1), ("b", 2), ("c", 3)] as [(String, Int64)] {
            ids.append(try XCTUnwrap(try s.record(article(k, story: story), storyTitle: "Story \(story)")))
        }
        let new = try s.maxStoryID() + 1
        let (stories, retired) = try s.applyRegroup(
            [
                RegroupedArticle(id: ids[0], story: new, reason: "new", similarity: 0, copyOf: nil),
                RegroupedArticle(id: ids[1], story: new, reason: "same-event", similarity: 0.4, copyOf: nil),
                RegroupedArticle(id: ids[2], story: new + 1, reason: "new", similarity: 0, copyOf: nil),
            ], titles: [new: "Title a", new + 1: "Title c"])
        XCTAssertEqual(stories, 2)
        XCTAssertEqual(retired, 3)
        XCTAssertEqual(try s.counts().articles, 3)
        XCTAssertEqual(try s.counts().stories, 2)
        XCTAssertEqual(try s.resolveStory(1), new)
        XCTAssertEqual(try s.resolveStory(2), new)
        XCTAssertEqual(try s.resolveStory(3), new + 1)
        let story = try XCTUnwrap(try s.story(id: new))
        XCTAssertEqual(story.title, "Title a")
        XCTAssertEqual(story.articles.count, 2)
    }
}
