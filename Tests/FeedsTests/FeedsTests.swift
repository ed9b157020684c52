import Feeds
import Foundation
import Markup
import XCTest

func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!)
}

/// The expected result of a conformance case (feedparser's output mapped into the contract's schema).
func expected(_ name: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: fixture(name)) as! [String: Any]
}

final class FeedsTests: XCTestCase {
    func testRealRSSMatchesTheReference() throws {
        let feed = try FeedParser.parse(fixture("real-rss.xml"), url: "https://frisk.space/index.xml")
        let want = try expected("real-rss.json")
        let wantFeed = want["feed"] as! [String: Any]
        let wantEntries = want["entries"] as! [[String: Any]]
        XCTAssertEqual(feed.format, .rss20)
        XCTAssertFalse(feed.isIllFormed)
        XCTAssertEqual(feed.title, wantFeed["title"] as? String)
        XCTAssertEqual(feed.language, wantFeed["language"] as? String)
        XCTAssertEqual(feed.entries.count, wantEntries.count)
        for (got, want) in zip(feed.entries, wantEntries) {
            XCTAssertEqual(got.title, want["title"] as? String)
            XCTAssertEqual(got.link, want["link"] as? String)
            XCTAssertEqual(got.id, want["id"] as? String)
            XCTAssertEqual(got.published.map(FeedDate.rfc3339), want["published"] as? String)
        }
    }

    func testRealAtomMatchesTheReference() throws {
        let feed = try FeedParser.parse(fixture("real-atom.xml"), url: "https://www.youtube.com/feeds/videos.xml")
        let wantEntries = try expected("real-atom.json")["entries"] as! [[String: Any]]
        XCTAssertEqual(feed.format, .atom10)
        XCTAssertEqual(feed.entries.count, wantEntries.count)
        for (got, want) in zip(feed.entries, wantEntries) {
            XCTAssertEqual(got.id, want["id"] as? String)
            XCTAssertEqual(got.link, want["link"] as? String)
            XCTAssertEqual(got.author, want["author"] as? String)
            XCTAssertEqual(got.published.map(FeedDate.rfc3339), want["published"] as? String)
            XCTAssertEqual(got.updated.map(FeedDate.rfc3339), want["updated"] as? String)
        }
    }

    func testXMLBaseResolvesLinksInsideContent() throws {
        let feed = try FeedParser.parse(
            fixture("base__entry_content_xml_base_inherit.xml"), url: "http://example.org/feed.xml")
        XCTAssertEqual(feed.format, .atom03)
        let content = try XCTUnwrap(feed.entries.first?.content)
        XCTAssertTrue(content.contains("Example"), content)
        let want = try expected("base__entry_content_xml_base_inherit.json")["entries"] as! [[String: Any]]
        XCTAssertEqual(
            feed.entries.first?.summary, want[0]["summary"] as? String, "a missing summary falls back to the content")
    }

    func testJSONFeed() throws {
        let json = """
            {"version": "https://jsonfeed.org/version/1.1", "title": "My Example Feed", "home_page_url": "https://example.org/",
             "items": [{"id": "2", "content_text": "This is a second item.", "url": "https://example.org/second-item",
                        "date_published": "2024-06-19T15:46:00+02:00", "authors": [{"name": "Ann"}]},
                       {"id": "1", "content_html": "<p>Hello, world!</p>", "url": "/initial-post"}]}
            """
        let feed = try FeedParser.parse(Data(json.utf8), url: "https://example.org/feed.json")
        XCTAssertEqual(feed.format, .json11)
        XCTAssertEqual(feed.title, "My Example Feed")
        XCTAssertEqual(feed.entries.map(\.id), ["2", "1"])
        XCTAssertEqual(feed.entries[0].published.map(FeedDate.rfc3339), "2024-06-19T13:46:00Z")
        XCTAssertEqual(feed.entries[0].author, "Ann")
        XCTAssertEqual(feed.entries[1].link, "https://example.org/initial-post")
    }

    /// Windows-1252 bytes served as UTF-8, with no declaration: read as Windows-1252, flagged, never mojibake.
    func testWrongCharsetLabelReadsAsWritten() throws {
        let xml =
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>cp</title><item><title>Caf\u{e9} cr\u{e8}me</title>"
            + "<description>Le caf\u{e9} co\u{fb}te \u{2019}cher\u{2019} \u{e0} Paris.</description></item></channel></rss>\n"
        let bytes = try XCTUnwrap(xml.data(using: .windowsCP1252))
        let feed = try FeedParser.parse(bytes, url: "https://example.com/feed", charset: "utf-8")
        XCTAssertEqual(feed.entries.first?.title, "Caf\u{e9} cr\u{e8}me")
        XCTAssertEqual(feed.entries.first?.summary, "Le caf\u{e9} co\u{fb}te \u{2019}cher\u{2019} \u{e0} Paris.")
        XCTAssertTrue(feed.isIllFormed)
    }

    /// A UTF-8 feed with one stray Windows-1252 byte: the UTF-8 stays as it is, the stray byte reads as 1252,
    /// whether the feed comes as bytes or streams from a file.
    func testStrayBytesInUTF8AreRepairedNotMojibake() throws {
        var bytes = Data(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Caf\u{e9}</title>".utf8)
        bytes += Data("<item><title>Cr\u{e8}me br\u{fb}l\u{e9}e</title><description>Stray ".utf8) + Data([0xE9])
        bytes += Data(" byte, na\u{ef}ve.</description></item></channel></rss>\n".utf8)
        let feed = try FeedParser.parse(bytes)
        XCTAssertEqual(feed.title, "Caf\u{e9}")
        XCTAssertEqual(feed.entries.first?.title, "Cr\u{e8}me br\u{fb}l\u{e9}e")
        XCTAssertEqual(feed.entries.first?.summary, "Stray \u{e9} byte, na\u{ef}ve.")
        XCTAssertTrue(feed.isIllFormed)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mixed-\(UUID().uuidString).xml").path
        try bytes.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var streamed: [FeedEntry] = []
        let channel = try FeedParser.parse(file: path) { streamed.append($0) }
        XCTAssertEqual(channel.title, "Caf\u{e9}")
        XCTAssertEqual(streamed.map(\.summary), ["Stray \u{e9} byte, na\u{ef}ve."])
    }

    func testNotAFeedIsAClearError() {
        XCTAssertThrowsError(try FeedParser.parse(Data("plain words".utf8))) { e in
            XCTAssertTrue("\(e)".contains("not a feed"), "\(e)")
        }
        XCTAssertThrowsError(try FeedParser.parse(Data("<html><body><p>a page</p></body></html>".utf8))) { e in
            XCTAssertTrue("\(e)".contains("<html>"), "\(e)")
        }
        XCTAssertThrowsError(try FeedParser.parse(Data())) { e in XCTAssertTrue("\(e)".contains("empty"), "\(e)") }
    }

    func testTruncatedFeedKeepsWhatCanBeRead() throws {
        let data = try fixture("real-rss.xml")
        let half = data.prefix(data.count / 2)
        let feed = try FeedParser.parse(Data(half), url: "https://frisk.space/index.xml")
        XCTAssertTrue(feed.isIllFormed)
        XCTAssertGreaterThan(feed.entries.count, 3)
        XCTAssertLessThan(feed.entries.count, 32)
    }

    func testBillionLaughsIsRefusedQuickly() throws {
        var entities = "<!ENTITY a \"" + String(repeating: "a", count: 50) + "\">\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h"] {
            entities += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 20) + "\">\n"
            previous = name
        }
        let xml =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n\(entities)]>\n<rss version=\"2.0\"><channel><title>&h;</title><item><title>x</title></item></channel></rss>"
        let started = Date()
        XCTAssertThrowsError(try FeedParser.parse(Data(xml.utf8))) { e in
            XCTAssertTrue("\(e)".contains("entity"), "\(e)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    /// One internal entity used thousands of times (no nesting, so libxml2's own loop check never fires): the
    /// document's text has a budget, in item text and attribute values alike, and reading stops at it with an
    /// error that says so (a 110 KB feed made a gigabyte of text before).
    func testEntityAmplificationStopsAtTheDocumentsTextBudget() throws {
        let entity = "<!ENTITY big \"" + String(repeating: "x", count: 20_000) + "\">"
        for (name, use) in [
            ("text", "<description>&big;&big;&big;&big;&big;</description>"),
            ("attribute", "<enclosure url=\"http://e.example/&big;&big;&big;\" type=\"audio/mpeg\"/>"),
        ] {
            let items = (0..<2_000).map { "<item><title>t\($0)</title>\(use)</item>" }.joined()
            let xml =
                "<?xml version=\"1.0\"?><!DOCTYPE rss [\(entity)]><rss version=\"2.0\"><channel><title>a</title>\(items)</channel></rss>"
            XCTAssertLessThan(xml.utf8.count, 1 << 20, name)
            XCTAssertThrowsError(try FeedParser.parse(Data(xml.utf8)), name) { e in
                XCTAssertTrue("\(e)".contains("entities expand the document's text past"), "\(name): \(e)")
            }
        }
        // A feed that uses its entities as feeds do is read whole.
        let items = (0..<2_000).map { "<item><title>t\($0)&nbsp;&copy;</title></item>" }.joined()
        let fine =
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY nbsp \"&#160;\"><!ENTITY copy \"&#169;\">]><rss version=\"2.0\"><channel><title>a</title>\(items)</channel></rss>"
        XCTAssertEqual(try FeedParser.parse(Data(fine.utf8)).entries.count, 2_000)
    }

    func testExternalEntitiesAreNotRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>T &xxe; T</title><item><title>&xxe;</title><link>http://x.example/1</link></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8))
        XCTAssertFalse((feed.title ?? "").contains("root:"))
        XCTAssertNil(feed.entries.first?.title)
    }

    func testInternalEntitiesExpand() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY tag "tag:example.com,2006">]>
            <rss version="2.0"><channel><title>T</title><item><guid isPermaLink="false">&tag;:/blog/</guid></item></channel></rss>
            """
        XCTAssertEqual(try FeedParser.parse(Data(xml.utf8)).entries.first?.id, "tag:example.com,2006:/blog/")
    }

    func testOversizedDocumentIsRefused() {
        let data = Data(repeating: 0x20, count: 2 << 20)
        XCTAssertThrowsError(try FeedParser.parse(data, maxBytes: 1 << 20)) { e in
            XCTAssertTrue("\(e)".contains("limit"), "\(e)")
        }
    }

    /// RSS and Atom entries without a summary take their content's plain text (the reference's convention), made
    /// when asked for; JSON Feed items do not.
    func testSummaryFallsBackToTheContentInXMLFeedsOnly() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a</id>
            <content type="html">&lt;p&gt;First  &lt;b&gt;words&lt;/b&gt;&lt;/p&gt;&lt;p&gt;then more&lt;/p&gt;</content></entry></feed>
            """
        let entry = try XCTUnwrap(FeedParser.parse(Data(atom.utf8)).entries.first)
        XCTAssertNil(entry.feedSummary)
        XCTAssertEqual(entry.summary, "First words then more")
        XCTAssertEqual(entry.content, "<p>First  <b>words</b></p><p>then more</p>")
        var own = entry
        own.summary = "Given"
        XCTAssertEqual(own.summary, "Given")

        let json =
            #"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "content_html": "<p>Body</p>"}]}"#
        let item = try XCTUnwrap(FeedParser.parse(Data(json.utf8)).entries.first)
        XCTAssertEqual(item.content, "<p>Body</p>")
        XCTAssertNil(item.summary)
    }

    /// Absolute links are kept as they are; relative ones (a colon after a slash is no scheme) meet their base.
    func testLinksResolveAgainstTheirBase() {
        let base = "https://example.org/blog/feed.xml"
        XCTAssertEqual(URLResolver.resolve("  https://other.example/a  ", against: base), "https://other.example/a")
        XCTAssertEqual(URLResolver.resolve("mailto:someone@example.org", against: base), "mailto:someone@example.org")
        XCTAssertEqual(URLResolver.resolve("svn+ssh://host/repo", against: base), "svn+ssh://host/repo")
        XCTAssertEqual(URLResolver.resolve("posts/1", against: base), "https://example.org/blog/posts/1")
        XCTAssertEqual(URLResolver.resolve("/a/b:c", against: base), "https://example.org/a/b:c")
        XCTAssertEqual(URLResolver.resolve("", against: base), base)
        XCTAssertEqual(URLResolver.resolve("posts/1", against: nil), "posts/1")
    }

    func testCommentBeforeTheDeclarationIsTolerated() throws {
        let xml =
            "<!-- generated -->\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title><item><title>A</title></item></channel></rss>"
        let feed = try FeedParser.parse(Data(xml.utf8))
        XCTAssertEqual(feed.title, "T")
        XCTAssertEqual(feed.entries.count, 1)
    }

    /// Streaming from a file (64 KB at a time) reads exactly what parsing the bytes (whole, when small) reads,
    /// also for feeds longer than one chunk.
    func testStreamingFromAFileMatchesParsingBytes() throws {
        for name in [
            "real-rss.xml", "real-atom.xml", "conformance/real__78f77fae2e1ffc14.xml",
            "conformance/real__2c5361e71e75dc78.xml",
        ] {
            let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
            let whole = try FeedParser.parse(Data(contentsOf: url))
            var streamed: [FeedEntry] = []
            let header = try FeedParser.parse(file: url.path) { streamed.append($0) }
            XCTAssertEqual(streamed, whole.entries, name)
            XCTAssertEqual(header.title, whole.title, name)
            XCTAssertTrue(header.entries.isEmpty, "entries are handed over, not kept")
        }
    }
}
