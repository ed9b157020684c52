import Feeds
import Foundation
import Markup
import XCTest

/// Where each field comes from when a feed says it in more than one way, as the feed contract and its reference
/// parser read it: podcasts, Media RSS, person strings, Atom text constructs.
final class FeedMappingTests: XCTestCase {
    /// A podcast item: its enclosure is the file; Media RSS content is not an enclosure; the itunes:summary after
    /// the description is the episode's text; keywords are categories; an RSS `content` element is content.
    func testPodcastAndMediaRSSItems() throws {
        let rss = """
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
                 xmlns:media="http://search.yahoo.com/mrss/">
            <channel><item><title>Episode 1</title><description>Short.</description>
            <itunes:summary>The long text of the episode.</itunes:summary>
            <media:content url="https://cdn.example/ep1.mp3" type="audio/mpeg"/>
            <enclosure url="https://cdn.example/ep1.mp3" type="audio/mpeg" length="36030594"/>
            <media:content url="https://cdn.example/cover.jpg" type="image/jpeg"/>
            <itunes:keywords>salt, pepper , shaker,</itunes:keywords>
            <media:keywords>kitty, big dog</media:keywords>
            <media:category scheme="urn:x">music/artist/album</media:category></item>
            <item><media:title>Only a media title</media:title><content>Example content</content></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8))
        let e = try XCTUnwrap(feed.entries.first)
        XCTAssertEqual(
            e.enclosures, [Enclosure(url: "https://cdn.example/ep1.mp3", type: "audio/mpeg", length: 36_030_594)])
        XCTAssertEqual(e.summary, "Short.")
        XCTAssertEqual(e.content, "The long text of the episode.")
        XCTAssertEqual(e.categories, ["salt", "pepper", "shaker", "kitty", "big dog", "music/artist/album"])
        XCTAssertEqual(feed.entries[1].title, "Only a media title")
        XCTAssertEqual(feed.entries[1].content, "Example content")
    }

    /// Media RSS nests an item's title, categories and keywords in media:group and media:content (YouTube's feeds,
    /// video sites): an item with no title of its own lost it, and its categories were empty.
    func testMediaRSSFieldsNestedInGroupAndContent() throws {
        let rss = """
            <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item>
            <media:group>
              <media:content url="https://cdn.example/song.mp3" type="audio/mpeg"/>
              <media:category scheme="http://dmoz.org">music/artist/album/song</media:category>
              <media:description>What a wonderful description</media:description>
            </media:group>
            <media:content url="https://cdn.example/movie.mov" type="video/quicktime">
              <media:title type="plain">The Moo Song</media:title>
              <media:category scheme="urn:x">music/other</media:category>
              <media:keywords>kitty, big dog</media:keywords>
            </media:content>
            </item></channel></rss>
            """
        let e = try XCTUnwrap(try FeedParser.parse(Data(rss.utf8)).entries.first)
        XCTAssertEqual(e.title, "The Moo Song")
        XCTAssertEqual(e.categories, ["music/artist/album/song", "music/other", "kitty", "big dog"])
        XCTAssertEqual(e.summary, "What a wonderful description")
    }

    /// Atom 0.3 entries that give both `issued` and `published` take the later element, as RSS's last date does;
    /// `published` was not read at all in the 0.3 namespace.
    func testAtom03PublishedCounts() throws {
        let atom = """
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>
            <issued>Thu, 01 Jan 2004 19:48:21 GMT</issued><published>Sat, 01 Jan 2010 19:48:21 GMT</published>
            </entry></feed>
            """
        let e = try XCTUnwrap(try FeedParser.parse(Data(atom.utf8)).entries.first)
        XCTAssertEqual(e.published.map(FeedDate.rfc3339), "2010-01-01T19:48:21Z")
    }

    /// Dublin Core's `dc:date` and a bare `<modified>` say when the entry last changed: they are its `updated`
    /// (as the reference reads them), and `dc:date` stands in for a publication date the entry does not give.
    func testDublinCoreDateAndModifiedAreTheUpdate() throws {
        let rss = """
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
            <item><title>a</title><pubDate>Tue, 17 Oct 2017 12:17:00 +0000</pubDate>
            <dc:date>Tue, 17 Oct 2017 22:17:00 +0000</dc:date></item>
            <item><title>b</title><pubDate>Tue, 17 Oct 2017 21:38:00 +0000</pubDate>
            <modified>2017-10-17T21:40:54+00:00</modified></item>
            <item><title>c</title><dc:date>2017-10-16T15:10:00Z</dc:date></item>
            </channel></rss>
            """
        let entries = try FeedParser.parse(Data(rss.utf8)).entries
        XCTAssertEqual(
            entries.map { $0.published.map(FeedDate.rfc3339) },
            [
                "2017-10-17T12:17:00Z", "2017-10-17T21:38:00Z", "2017-10-16T15:10:00Z",
            ])
        XCTAssertEqual(
            entries.map { $0.updated.map(FeedDate.rfc3339) },
            [
                "2017-10-17T22:17:00Z", "2017-10-17T21:40:54Z", "2017-10-16T15:10:00Z",
            ])
    }

    /// A feed written by hand uses `content:encoded` without declaring `xmlns:content`: libxml2 reports the name
    /// with no namespace, and the item's content was lost. Undeclared prefixes of the feed vocabularies stand for
    /// their usual namespaces; others are still unknown elements.
    func testUndeclaredConventionalPrefixes() throws {
        let rss = """
            <rss version="2.0"><channel><title>t</title><item><title>a</title>
            <content:encoded>&lt;p&gt;&lt;strong&gt;TOPIC&lt;/strong&gt;: Gooseneck Options&lt;/p&gt;</content:encoded>
            <dc:creator>Jo Doe</dc:creator><foo:encoded>not content</foo:encoded></item></channel></rss>
            """
        let e = try XCTUnwrap(try FeedParser.parse(Data(rss.utf8)).entries.first)
        XCTAssertEqual(e.content, "<p><strong>TOPIC</strong>: Gooseneck Options</p>")
        XCTAssertEqual(e.author, "Jo Doe")
    }

    /// An item with content of its own keeps it: a later itunes:summary does not displace it.
    func testItunesSummaryDoesNotDisplaceContent() throws {
        let rss = """
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
                 xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><item><description>Short.</description><content:encoded><![CDATA[<p>Full.</p>]]></content:encoded>
            <itunes:summary>Other.</itunes:summary></item></channel></rss>
            """
        XCTAssertEqual(try FeedParser.parse(Data(rss.utf8)).entries.first?.content, "<p>Full.</p>")
    }

    /// A person string gives its name: "address (Name)" and "Name (address)"; an address alone, or anything
    /// else, stays as written.
    func testAuthorStrings() throws {
        func author(_ s: String, _ element: String = "author") throws -> String? {
            let rss = """
                <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
                <\(element)>\(s)</\(element)></item></channel></rss>
                """
            return try FeedParser.parse(Data(rss.utf8)).entries.first?.author
        }
        XCTAssertEqual(try author("jo@x.org (Jo Doe)"), "Jo Doe")
        XCTAssertEqual(try author("Example editor (me@example.com)"), "Example editor")
        XCTAssertEqual(try author("Example editor (me@example.com)", "dc:creator"), "Example editor")
        XCTAssertEqual(try author("jo@x.org"), "jo@x.org")
        XCTAssertEqual(try author("The Staff (all of us)"), "The Staff (all of us)")
    }

    /// Atom text constructs: type="text" is the text as written, brackets and all; Atom 0.3's base64 mode is the
    /// decoded text as written; a binary type in Atom 1.0 is decoded and read as HTML.
    func testAtomTextAsWritten() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="text">History of the &lt;blink&gt; tag</title>
            <entry><title type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title></entry></feed>
            """
        let feed = try FeedParser.parse(Data(atom.utf8))
        XCTAssertEqual(feed.title, "History of the <blink> tag")
        XCTAssertEqual(feed.entries.first?.title, "Example Atom")
        let atom03 = """
            <feed version="0.3" xmlns="http://purl.org/atom/ns#">
            <entry><title mode="base64">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title></entry></feed>
            """
        XCTAssertEqual(try FeedParser.parse(Data(atom03.utf8)).entries.first?.title, "Example <b>Atom</b>")
    }

    /// A bare Atom entry document is a feed of that one entry; RSS 0.90 under either Netscape namespace is RSS.
    func testEntryDocumentsAndRSS090() throws {
        let entry = """
            <entry xmlns="http://www.w3.org/2005/Atom"><id>urn:uuid:1</id><title>Specifications</title>
            <updated>2024-06-19T10:00:00Z</updated><link href="https://example.org/spec"/></entry>
            """
        let one = try FeedParser.parse(Data(entry.utf8))
        XCTAssertEqual(one.entries.map(\.title), ["Specifications"])
        XCTAssertEqual(one.entries.first?.link, "https://example.org/spec")
        let rss090 = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                     xmlns="http://channel.netscape.com/rdf/simple/0.9/">
            <channel><title>Mozilla Dot Org</title><link>http://www.mozilla.org</link></channel>
            <item><title>New Status Updates</title><link>http://www.mozilla.org/status/</link></item></rdf:RDF>
            """
        let old = try FeedParser.parse(Data(rss090.utf8))
        XCTAssertEqual(old.title, "Mozilla Dot Org")
        XCTAssertEqual(old.entries.map(\.link), ["http://www.mozilla.org/status/"])
    }

    /// RSS text is HTML escaped once in the XML; beside raw tags (Reddit's old feeds write both) it is still HTML:
    /// `AT&amp;amp;T` is AT&T, as in a description without tags, and is not escaped a second time (before, it read
    /// "AT&amp;T rocks").
    func testEscapedHTMLBesideRawTags() throws {
        let rss = """
            <rss version="2.0"><channel><title>r</title><item><title>x</title>
            <description>AT&amp;amp;T &amp;lt;i&amp;gt;now&amp;lt;/i&amp;gt; <b>rocks</b></description>
            </item></channel></rss>
            """
        let e = try XCTUnwrap(try FeedParser.parse(Data(rss.utf8)).entries.first)
        XCTAssertEqual(e.summary, "AT&T <i>now</i> rocks")  // escaped tags are text, as in any HTML
        XCTAssertEqual(e.summaryHTML, "AT&amp;T &lt;i&gt;now&lt;/i&gt; <b>rocks</b>")
    }
}
