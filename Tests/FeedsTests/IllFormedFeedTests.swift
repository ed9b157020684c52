import Feeds
import Foundation
import XCTest

/// What real feeds get wrong and a reader still keeps: no text lost to an XML error, no item lost for saying little.
final class IllFormedFeedTests: XCTestCase {
    private let bare = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Tom &amp; Jerry &eacute;t&#233; &#x263A;</title>
        <link>http://example/?a=1&b=2&c</link>
        <item><title>Q&A: fish & chips</title><link>https://x.example/a?utm_source=s&utm_medium=rss</link>
        <description><![CDATA[<p>a & b &c</p>]]></description></item></channel></rss>
        """

    /// An ampersand that starts no reference (`?a=1&b=2`, `Q&A`) is text: libxml2 drops it and the name after it,
    /// so the document is read again with those ampersands escaped. References and CDATA stay as they were.
    func testBareAmpersandsKeepTheirText() throws {
        let feed = try FeedParser.parse(Data(bare.utf8))
        XCTAssertEqual(feed.title, "Tom & Jerry été ☺")
        XCTAssertEqual(feed.link, "http://example/?a=1&b=2&c")
        XCTAssertEqual(feed.entries.first?.title, "Q&A: fish & chips")
        XCTAssertEqual(feed.entries.first?.link, "https://x.example/a?utm_source=s&utm_medium=rss")
        XCTAssertEqual(feed.entries.first?.summaryHTML, "<p>a & b &c</p>")
        XCTAssertTrue(feed.isIllFormed)
    }

    /// The same from a file (which otherwise streams and could not be read again).
    func testBareAmpersandsInAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bare-\(UUID().uuidString).xml")
        try Data(bare.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        var entries: [FeedEntry] = []
        let feed = try FeedParser.parse(file: path.path) { entries.append($0) }
        XCTAssertEqual(feed.link, "http://example/?a=1&b=2&c")
        XCTAssertEqual(entries.first?.title, "Q&A: fish & chips")
    }

    /// Every item is an entry, even one that carries only its categories: skipping it is the daemon's call.
    func testAnItemWithOnlyCategoriesIsAnEntry() throws {
        let rss = """
            <rss version="2.0"><channel><item><category>Example category</category></item>
            <item><title>Second</title></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8))
        XCTAssertEqual(feed.entries.count, 2)
        XCTAssertEqual(feed.entries.first?.categories, ["Example category"])
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><entry><category term="atom10"/></entry></feed>
            """
        XCTAssertEqual(try FeedParser.parse(Data(atom.utf8)).entries.first?.categories, ["atom10"])
    }
}

/// Labels that lie about the bytes.
final class FeedCharsetTests: XCTestCase {
    /// A feed labelled ISO-8859-1 whose bytes are valid UTF-8 is read as UTF-8 ("Brøndby", not "BrÃ¸ndby"); one
    /// whose bytes really are Latin-1 is read as labelled.
    func testUTF8LabelledLatin1() throws {
        let utf8 = Data(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Brøndby</title></item></channel></rss>"
                .utf8)
        XCTAssertEqual(try FeedParser.parse(utf8).entries.first?.title, "Brøndby")
        var latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Br".utf8)
        latin1.append(0xF8)
        latin1.append(contentsOf: "ndby</title></item></channel></rss>".utf8)
        XCTAssertEqual(try FeedParser.parse(latin1).entries.first?.title, "Brøndby")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).xml")
        try utf8.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        var titles: [String?] = []
        _ = try FeedParser.parse(file: path.path) { titles.append($0.title) }
        XCTAssertEqual(titles, ["Brøndby"])
    }

    /// The HTTP charset beats the XML declaration, in memory and from a file.
    func testHTTPCharsetBeatsTheDeclaration() throws {
        var koi8 = Data("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel><item><title>".utf8)
        koi8.append(contentsOf: [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4])  // "Привет" in KOI8-R
        koi8.append(contentsOf: "</title></item></channel></rss>".utf8)
        XCTAssertEqual(try FeedParser.parse(koi8, charset: "koi8-r").entries.first?.title, "Привет")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("koi8-\(UUID().uuidString).xml")
        try koi8.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        var titles: [String?] = []
        _ = try FeedParser.parse(file: path.path, charset: "koi8-r") { titles.append($0.title) }
        XCTAssertEqual(titles, ["Привет"])
    }
}
