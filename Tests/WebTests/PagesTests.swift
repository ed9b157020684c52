import Foundation
import XCTest

@testable import Store
@testable import Web

/// The pages carry strangers' text: nothing in it may become markup, script or a link that runs.
final class PagesTests: XCTestCase {
    private let hostile = ArticleView(
        id: 7, title: "<script>alert('t')</script> & \"quotes\"", url: "javascript:alert(1)",
        source: "<b>outlet</b>", published: Date(timeIntervalSince1970: 1_700_000_000),
        author: "<img src=x onerror=alert(2)>", language: "fr\" onload=\"x",
        text: "First <iframe src=//evil> paragraph.\nSecond\u{1} line </p><p>.", storyID: 3)

    func testStoryPageEscapesEverythingFromTheArticle() {
        let story = StoryView(
            id: 3, title: "<h1>pwned</h1>", updated: nil, firstSeen: nil,
            articles: [
                hostile,
                ArticleView(
                    id: 8, title: "copy", url: "https://example.org/a?x=1&y=<2>", source: "other",
                    published: nil, author: nil, language: nil, text: "copy text", storyID: 3, copyOf: 7),
            ])
        let html = Pages.story(story)
        for raw in ["<script>", "<iframe", "<img", "<b>outlet", "<h1>pwned", "javascript:", "onload=\"x", "</p><p>."] {
            XCTAssertFalse(html.contains(raw), "unescaped: \(raw)")
        }
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        XCTAssertTrue(html.contains("<p>First &lt;iframe src=//evil&gt; paragraph.</p>"))
        XCTAssertTrue(
            html.contains("href=\"https://example.org/a?x=1&amp;y=&lt;2&gt;\""), "http(s) links kept, escaped")
        XCTAssertFalse(html.contains("\u{1}"), "control characters are dropped")
        // The copy is folded under its original, not shown as a report of its own.
        XCTAssertEqual(html.components(separatedBy: "<article class=\"report\"").count - 1, 1)
        XCTAssertTrue(html.contains("<details class=\"copies\"><summary>1 copy of this article: other</summary>"))
    }

    func testListSearchAndFeedPagesEscape() {
        let story = StoryView(id: 1, title: "<x>", updated: nil, firstSeen: nil, articles: [hostile])
        let parameters = try! Parameters("lang=%22%3E%3Cscript%3E", allowed: Parameters.listNames)
        let list = Pages.stories([story], parameters: parameters, next: PageCursor(time: 1.5, id: 9))
        XCTAssertFalse(list.contains("<script>"))
        XCTAssertTrue(list.contains("value=\"&quot;&gt;&lt;script&gt;\""))
        XCTAssertTrue(list.contains("rel=\"next\""))
        XCTAssertTrue(list.contains("lang=%22%3E%3Cscript%3E"), "the filter carries over to the next page, encoded")
        let search = Pages.search(
            query: "<q>", hits: [(hostile, 3, "a \u{1}<b>\u{2} c")], error: nil)
        XCTAssertTrue(search.contains("a <mark>&lt;b&gt;</mark> c"))
        XCTAssertFalse(search.contains("<q>"))
        let feed = FeedRecord(
            id: 1, url: "https://x.test/<feed>", title: "<t>", site: nil, etag: nil, lastModified: nil, lastFetch: nil,
            lastStatus: 0, lastError: "<script>bad</script>", errorCount: 2, nextPoll: nil, retired: false)
        let feeds = Pages.feeds([feed])
        XCTAssertFalse(feeds.contains("<script>"))
        XCTAssertTrue(feeds.contains("(2 times in a row)"))
    }

    func testStoryPageKeepsToItsTextBudget() {
        let long = String(repeating: "word ", count: Pages.textBudget / 5 + 10)
        let articles = (1...3).map {
            ArticleView(
                id: Int64($0), title: "t\($0)", url: "https://x.test/\($0)", source: "s\($0)", published: nil,
                author: nil, language: nil, text: $0 == 1 ? "short" : long, storyID: 1)
        }
        let html = Pages.story(StoryView(id: 1, title: "t", updated: nil, firstSeen: nil, articles: articles))
        XCTAssertLessThan(html.utf8.count, Pages.textBudget + 100_000)
        XCTAssertTrue(html.contains("Read it at its source"))
        let bounded = Routes.bounded(StoryView(id: 1, title: "t", updated: nil, firstSeen: nil, articles: articles))
        XCTAssertEqual(bounded.articles.map { $0.text != nil }, [true, false, false])
    }

    func testParametersRefuseWhatTheyDoNotKnow() throws {
        let p = try Parameters("q=two+words&limit=5", allowed: ["q", "limit"])
        XCTAssertEqual(p["q"], "two words")
        XCTAssertEqual(try p.limit(fallback: 20, max: 200), 5)
        XCTAssertNil(try Parameters("lang=&since=", allowed: Parameters.listNames)["lang"], "an empty field is absent")
        XCTAssertThrowsError(try Parameters("x=1", allowed: ["q"]))
        XCTAssertThrowsError(try Parameters("q=%E0%A4", allowed: ["q"]), "not UTF-8")
        XCTAssertThrowsError(try Parameters("q=" + String(repeating: "a", count: 1001), allowed: ["q"]))
        XCTAssertThrowsError(try Parameters("limit=-1", allowed: ["limit"]).limit(fallback: 1, max: 10))
    }

    func testCursorTextRoundTripsExactly() {
        let c = PageCursor(time: 1_733_350_000.123456789, id: 42)
        XCTAssertEqual(PageCursor(text: c.text), c)
        for bad in ["", "1.2.3", "zz.1", "7ff8000000000000.1", "1.x", "1"] {
            XCTAssertNil(PageCursor(text: bad), bad)
        }
    }

    func testTokenComparisonAndSettings() {
        XCTAssertTrue(Guard.same("abc", "abc"))
        XCTAssertFalse(Guard.same("abc", "abd"))
        XCTAssertFalse(Guard.same("abc", "abcd"))
        XCTAssertTrue(WebSettings(listen: "127.0.0.1:8080").isLoopback)
        XCTAssertTrue(WebSettings(listen: "[::1]:8080").isLoopback)
        XCTAssertFalse(WebSettings(listen: ":8080").isLoopback)
        XCTAssertNotNil(WebSettings(listen: "0.0.0.0:8080").problem())
        XCTAssertNil(WebSettings(listen: "0.0.0.0:8080", token: String(repeating: "k", count: 16)).problem())
        XCTAssertNotNil(WebSettings(listen: "0.0.0.0:8080", token: "short").problem())
        XCTAssertNotNil(WebSettings(listen: "localhost").problem())
        XCTAssertNotNil(WebSettings(listen: "0.0.0.0:8080", token: "0123456789 abcdef").problem(), "a space")
        XCTAssertNotNil(WebSettings(listen: "0.0.0.0:8080", token: "0123456789;abcdef").problem(), "a semicolon")
        XCTAssertNotNil(WebSettings(listen: "0.0.0.0:8080", token: "0123456789abcdéf").problem(), "not ASCII")
    }
}
