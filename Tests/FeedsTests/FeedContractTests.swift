import Foundation
import Markup
import XCTest

@testable import Feeds

/// Classes of the broader conformance contract: categories, the feed's own address, HTML's named entities,
/// relative links inside content.
final class FeedContractTests: XCTestCase {
    func testCategoriesFromEveryFormat() throws {
        let rss = """
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>c</title><item><title>a</title>
            <category>World</category><category domain="x">Asia &amp;amp; Pacific</category><dc:subject>Diplomacy</dc:subject>
            </item></channel></rss>
            """
        XCTAssertEqual(
            try FeedParser.parse(Data(rss.utf8)).entries[0].categories, ["World", "Asia & Pacific", "Diplomacy"])
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>c</title><entry><id>1</id><title>a</title>
            <category term="politics" label="Politics"/><category label="Only a label"/><category term="  spaced  "/></entry></feed>
            """
        XCTAssertEqual(
            try FeedParser.parse(Data(atom.utf8)).entries[0].categories, ["politics", "Only a label", "spaced"])
        let json = """
            {"version": "https://jsonfeed.org/version/1.1", "title": "j", "feed_url": "https://j.example/feed.json",
             "items": [{"id": 1, "url": "https://j.example/1", "content_text": "x", "tags": ["a", " b ", "", 3]}]}
            """
        let feed = try FeedParser.parse(Data(json.utf8))
        XCTAssertEqual(feed.entries[0].categories, ["a", "b"])
        XCTAssertEqual(feed.selfLink, "https://j.example/feed.json")
    }

    func testTheFeedsOwnAddressIsItsSelfLink() throws {
        let rss = """
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>s</title><link>https://s.example/</link>
            <atom:link rel="self" href="/feed.xml" type="application/rss+xml"/></channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8), url: "https://s.example/news/")
        XCTAssertEqual(feed.selfLink, "https://s.example/feed.xml")
        XCTAssertEqual(feed.link, "https://s.example/")
    }

    /// `&aacute;` and `&hellip;` are not XML, but feeds use them: their text is kept (it was silently dropped).
    func testHTMLNamedEntitiesKeepTheirText() throws {
        let rss =
            "<rss><channel><title>testing &aacute; entity&hellip;</title><item><title>caf&eacute;&nbsp;cr&egrave;me &undefinedname; end</title></item></channel></rss>"
        let feed = try FeedParser.parse(Data(rss.utf8))
        XCTAssertEqual(feed.title, "testing á entity…")
        XCTAssertEqual(feed.entries[0].title?.hasPrefix("café"), true, feed.entries[0].title ?? "nil")
        XCTAssertEqual(feed.entries[0].title?.contains("crème"), true, feed.entries[0].title ?? "nil")
        XCTAssertTrue(feed.entries[0].title?.hasSuffix("end") == true)
    }

    /// Relative links inside content, fragments included, are made absolute against the xml:base in scope, else
    /// the document's URL; other schemes stay as written.
    func testRelativeLinksInContentBecomeAbsolute() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/test/"><title>b</title>
            <entry><id>1</id><title>a</title><content type="html">Example &lt;a href="test.html"&gt;test&lt;/a&gt; &lt;img src='/i.png'&gt; &lt;a href="#top"&gt;top&lt;/a&gt; &lt;a href="mailto:x@y.z"&gt;m&lt;/a&gt;</content></entry>
            </feed>
            """
        let content = try FeedParser.parse(Data(atom.utf8)).entries[0].content ?? ""
        XCTAssertTrue(content.contains("href=\"http://example.com/test/test.html\""), content)
        XCTAssertTrue(content.contains("src='http://example.com/i.png'"), content)
        XCTAssertTrue(content.contains("href=\"http://example.com/test/#top\""), content)  // a fragment too
        XCTAssertTrue(content.contains("href=\"mailto:x@y.z\""), content)
        let rss =
            "<rss><channel><title>r</title><item><title>a</title><description>&lt;a href=\"../up.html\"&gt;x&lt;/a&gt;</description><content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">&lt;a href=\"../up.html\"&gt;x&lt;/a&gt;</content:encoded></item></channel></rss>"
        let e = try FeedParser.parse(Data(rss.utf8), url: "https://r.example/a/b/feed.xml").entries[0]
        XCTAssertTrue(e.content?.contains("https://r.example/a/up.html") == true, e.content ?? "nil")
    }

    /// A relative link is percent-encoded as Foundation's `addingPercentEncoding` would with a URL's query and
    /// fragment characters (and "#", "%") kept: spaces, quotes, brackets and every non-ASCII byte, nothing else.
    func testRelativeLinksArePercentEncodedAsFoundationWould() {
        let allowed = CharacterSet.urlFragmentAllowed.union(.urlQueryAllowed).union(CharacterSet(charactersIn: "#%"))
        var links = (0..<128).map { "a" + String(UnicodeScalar(UInt8($0))) + "b" }
        links += ["plain/path.html?q=1#f", "with space", "caf\u{E9}/\u{65E5}\u{672C}", "50%25", "\u{1F600}", ""]
        for link in links {
            XCTAssertEqual(
                URLResolver.percentEncoded(link), link.addingPercentEncoding(withAllowedCharacters: allowed), link)
        }
        XCTAssertEqual(
            URLResolver.resolve("a b/\u{E9}.html", against: "http://x.org/d/"), "http://x.org/d/a%20b/%C3%A9.html")
    }

    /// An entry id written as a path is an address on the feed's site, resolved like a link against the base in
    /// scope or the document's URL; ids of other shapes (`urn:`, a number, a non-permalink guid) stay as written.
    func testAnIdWrittenAsAPathIsResolved() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>
            <entry><id>/relative/link</id><title>a</title></entry>
            <entry><id>urn:uuid:1225c695</id><title>b</title></entry></feed>
            """
        let feed = try FeedParser.parse(Data(atom.utf8), url: "http://example.com/feeds/all.xml")
        XCTAssertEqual(feed.entries.map(\.id), ["http://example.com/relative/link", "urn:uuid:1225c695"])
        let rss = """
            <rss version="2.0"><channel><title>r</title>
            <item><guid>/posts/7</guid><title>a</title></item>
            <item><guid isPermaLink="false">/internal/7</guid><title>b</title></item>
            <item><guid>12345</guid><title>c</title></item></channel></rss>
            """
        let items = try FeedParser.parse(Data(rss.utf8), url: "https://r.example/feed").entries
        XCTAssertEqual(items.map(\.id), ["https://r.example/posts/7", "/internal/7", "12345"])
    }
}
