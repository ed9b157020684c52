import Foundation
import XCTest

@testable import Markup

final class FeedDateTests: XCTestCase {
    func iso(_ s: String) -> String? { FeedDate.parse(s).map(FeedDate.rfc3339) }

    /// A time no RFC 3339 year can hold (a stored 1e308, NaN, -1e308) is written as the nearest representable
    /// one: `feeds list` trapped on every run once such a time was stored.
    func testTimesOutsideFourDigitYearsAreClampedNotATrap() {
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: 1e308)), "9999-12-31T23:59:59Z")
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: -1e308)), "0001-01-01T00:00:00Z")
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: .nan)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: 1_718_805_960)), "2024-06-19T14:06:00Z")
    }

    /// Zones feeds write without standard or daylight (AT, ET, CT, MT, PT) and the Middle European ones.
    func testRegionalZoneNames() {
        for (zone, hour) in [("AT", "20"), ("ET", "21"), ("CT", "22"), ("MT", "23")] {
            XCTAssertEqual(iso("Mon, 26 January 2004 16:31:00 \(zone)"), "2004-01-26T\(hour):31:00Z", zone)
        }
        XCTAssertEqual(iso("Mon, 26 January 2004 16:31:00 PT"), "2004-01-27T00:31:00Z")
        XCTAssertEqual(iso("Thu, 30 Apr 2015 08:57:00 MET"), "2015-04-30T07:57:00Z")
        XCTAssertEqual(iso("Thu, 30 Apr 2015 08:57:00 MEST"), "2015-04-30T06:57:00Z")
    }

    func testRFC822AndItsBreakages() {
        XCTAssertEqual(iso("Wed, 19 Jun 2024 15:46:00 +0200"), "2024-06-19T13:46:00Z")
        XCTAssertEqual(iso("Wed, 19 Jun 2024 15:46:00 GMT"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("19 Jun 2024 15:46 EDT"), "2024-06-19T19:46:00Z")
        XCTAssertEqual(iso("Wed, 19 Jun 24 15:46:00 PST"), "2024-06-19T23:46:00Z")
        XCTAssertEqual(iso("Mercredi 19 Juin 2024 - 15:46"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("publié le 19 juin 2024 à 16h00"), "2024-06-19T16:00:00Z")
    }

    func testW3CDTF() {
        XCTAssertEqual(iso("2024-06-19T15:46:00Z"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("2024-06-19T15:46:00.250+02:00"), "2024-06-19T13:46:00Z")
        XCTAssertEqual(iso("2024-06-19"), "2024-06-19T00:00:00Z")
        XCTAssertEqual(iso("20240619T154600Z"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("0001-01-01T00:00:00Z"), "0001-01-01T00:00:00Z")
    }

    /// The byte-level reader of the common RFC 822 form answers exactly as the general one, or leaves the date to it.
    func testStrictRFC822AgreesWithTheGeneralReader() {
        var generator = SystemRandomNumberGenerator()
        let days = ["", "Mon, ", "Sun,", "wed,  "]
        let months = ["Jan", "feb", "MAR", "Sep", "Dec"]
        let zones = ["", " +0000", " -0530", " GMT", " pdt", " CEST", " +2400", " XYZ", " Z"]
        var read = 0
        for _ in 0..<3000 {
            let day = Int.random(in: 0...32, using: &generator)
            let year = [Int.random(in: 0...99, using: &generator), Int.random(in: 1900...2100, using: &generator)]
                .randomElement()!
            let second = Bool.random() ? String(format: ":%02d", Int.random(in: 0...60, using: &generator)) : ""
            let text =
                days.randomElement()!
                + "\(day) \(months.randomElement()!) \(year < 100 ? String(format: "%02d", year) : String(year)) "
                + String(
                    format: "%d:%02d", Int.random(in: 0...24, using: &generator),
                    Int.random(in: 0...59, using: &generator))
                + second + zones.randomElement()!
            guard let strict = FeedDate.parseStrictRFC822(Array(text.utf8)) else { continue }
            read += 1
            XCTAssertEqual(strict, FeedDate.parseRFC822(text), text)
        }
        XCTAssertGreaterThan(read, 1000)
    }

    func testUnreadableDatesAreAbsentNotNow() {
        XCTAssertNil(FeedDate.parse("yesterday"))
        XCTAssertNil(FeedDate.parse("2024-13-45"))
        XCTAssertNil(FeedDate.parse("31 Feb 2024 10:00"))
        XCTAssertNil(FeedDate.parse(""))
    }
}

final class HTMLTests: XCTestCase {
    func testAttributesKeepEveryPairInOrder() {
        var a: HTMLAttributes = ["class": "a b", "id": "", "data-x": "caf\u{e9} \u{1F600}"]
        XCTAssertEqual(a.pairs.map(\.0), ["class", "id", "data-x"])
        XCTAssertEqual(a.pairs.map(\.1), ["a b", "", "caf\u{e9} \u{1F600}"])
        XCTAssertEqual(a["id"], "")
        XCTAssertEqual(a["data-x"], "caf\u{e9} \u{1F600}")
        XCTAssertNil(a["i"])
        XCTAssertNil(a["missing"])
        a.pairs = [(String(repeating: "n", count: 300), String(repeating: "v", count: 70_000))]
        XCTAssertEqual(a[String(repeating: "n", count: 300)]?.count, 70_000)
        let page = HTMLDocument(data: Data("<p CLASS=x Data-Y=y disabled hidden>t</p>".utf8))
        XCTAssertEqual(
            page.body.first("p")?.attributes.pairs.map { "\($0)=\($1)" },
            ["class=x", "data-y=y", "disabled=disabled", "hidden="])
    }

    func testContainsBytes() {
        XCTAssertTrue("Accueil » Monde » Asie".containsBytes(" » "))
        XCTAssertTrue("a > b".containsBytes(" > "))
        XCTAssertFalse("a >b".containsBytes(" > "))
        XCTAssertTrue("application/ld+json".containsBytes("ld+json"))
        XCTAssertFalse("ld+jso".containsBytes("ld+json"))
        XCTAssertTrue("x".containsBytes(""))
        XCTAssertFalse("".containsBytes("x"))
    }

    func testPlainTextDropsTagsAndDecodesEntities() {
        XCTAssertEqual(
            HTMLText.plainText(fromHTML: "<p>Caf&eacute; <b>au</b>\n lait &amp; <script>x()</script>pain</p>"),
            "Café au lait & pain")
        XCTAssertEqual(HTMLText.plainText(fromHTML: "no markup at all"), "no markup at all")
    }

    /// A hostile page nested 20 000 deep parses without crashing; what lies past libxml2's depth bound is dropped.
    func testDeeplyNestedHTMLDoesNotCrash() {
        let html =
            "<html><body><p>kept before the nesting</p>" + String(repeating: "<div>", count: 20000) + "deep"
            + String(repeating: "</div>", count: 20000) + "</body></html>"
        let doc = HTMLDocument(data: Data(html.utf8))
        XCTAssertTrue(doc.body.textContent.contains("kept before the nesting"))
    }
}

final class XMLReaderTests: XCTestCase {
    func testExternalEntitiesAreNeverRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>&xxe;</title></channel></rss>
            """
        var text = ""
        try XMLReader.read(data: Data(xml.utf8), url: nil) { r in
            while try r.read() { if r.kind == .text { text += r.value ?? "" } }
        }
        XCTAssertFalse(text.contains("root:"), "the reader must not expand external entities")
    }

    /// A document of many 64 KB chunks: elements, text and markup that straddle chunk boundaries read whole.
    func testContentAcrossChunksReadsWhole() throws {
        let body = String(repeating: "word &amp; more ", count: 9000)  // ~144 KB after decoding: three chunks
        var xml =
            "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://a.example/dir/\" xml:lang=\"fr\">"
        xml += "<entry xml:base=\"sub/\"><empty/><blank></blank><text>\(body)</text>"
        xml +=
            "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"a&quot;b\">x &lt; y</p><br/></div></content>"
        xml += "<link href=\"page.html\"/></entry><entry xml:lang=\"de\"><title>t</title></entry></feed>"
        var seen: [String] = []
        func walk(_ r: XMLReader) throws {
            while try r.read() {
                guard r.kind == .element else { continue }
                switch r.localName {
                case "empty", "blank":
                    XCTAssertTrue(r.isEmptyElement, r.localName)
                    seen.append(r.localName)
                case "text":
                    let inner = r.innerContent()
                    XCTAssertFalse(inner.isMarkup)
                    XCTAssertEqual(inner.value, body.replacingOccurrences(of: "&amp;", with: "&"))
                    XCTAssertEqual(r.innerText(), inner.value)
                    seen.append("text")
                    _ = try r.skipSubtree()
                    XCTAssertEqual(r.localName, "content", "skipping ends on the next node")
                    let content = r.innerContent()
                    XCTAssertTrue(content.isMarkup)
                    XCTAssertEqual(
                        content.value,
                        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p class=\"a&quot;b\">x &lt; y</p><br/></div>")
                    seen.append("content")
                case "link":
                    XCTAssertEqual(r.baseURI, "http://a.example/dir/sub/")
                    XCTAssertEqual(r.xmlLang, "fr")
                    XCTAssertEqual(r.attribute("href"), "page.html")
                    seen.append("link")
                case "title":
                    XCTAssertEqual(r.baseURI, "http://a.example/dir/", "the first entry's xml:base ended with it")
                    XCTAssertEqual(r.xmlLang, "de")
                    XCTAssertEqual(r.namespaceURI, "http://www.w3.org/2005/Atom")
                    seen.append("title")
                default:
                    break
                }
            }
        }
        try XMLReader.read(data: Data(xml.utf8), url: "http://ignored.example/") { try walk($0) }
        XCTAssertEqual(seen, ["empty", "blank", "text", "content", "link", "title"])
        // The same document streamed from a file reads the same.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).xml").path
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromMemory = seen
        seen = []
        try XMLReader.read(file: path, url: nil) { try walk($0) }
        XCTAssertEqual(seen, fromMemory)
    }

    /// An element larger than the reader may hold stops the reading with an error, instead of filling memory.
    func testOversizedElementStopsTheStream() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).xml").path
        let xml =
            "<rss><channel><item><description>" + String(repeating: "x", count: 3 << 20)
            + "</description></item></channel></rss>"
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(
            try XMLReader.read(file: path, url: nil, maxElementBytes: 1 << 20) { r in
                while try r.read() {
                    if r.localName == "description", r.kind == .element {
                        XCTAssertLessThan(r.innerText().utf8.count, 2 << 20)
                    }
                }
            }
        ) { error in
            XCTAssertTrue("\(error)".contains("more than 1048576 bytes"), "\(error)")
        }
    }

    func testGzipFilesAreReadDecompressed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("markup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let plain = dir.appendingPathComponent("page.html")
        try "<html><body><p>compressed page</p></body></html>".write(to: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let data = try FileReader.read(plain.path + ".gz")
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "<html><body><p>compressed page</p></body></html>")
        XCTAssertThrowsError(try FileReader.read(dir.appendingPathComponent("missing.html").path))
        // The plain file (read directly), a pipe's worth of bytes and the size limit, each way.
        XCTAssertEqual(try FileReader.read(plain.path), try FileReader.read(plain.path + ".gz"))
        XCTAssertEqual(
            try FileReader.read(plain.path, mapped: true), try FileReader.read(plain.path + ".gz", mapped: true))
        XCTAssertEqual(try FileReader.read("/proc/self/status").isEmpty, false, "a file that does not know its size")
        XCTAssertThrowsError(try FileReader.read(plain.path, maxBytes: 10)) { error in
            XCTAssertTrue("\(error)".contains("larger than 10 bytes"), "\(error)")
        }
        XCTAssertThrowsError(try FileReader.read(plain.path + ".gz", maxBytes: 10))
    }

    /// Gzip as gzip reads it: every member of a concatenation, whatever the last trailer says, and a clear error
    /// naming the file for one cut short or damaged.
    func testGzipMembersAndDamage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("markup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func gzip(_ text: String, _ name: String) throws -> Data {
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gzip.arguments = ["-f", url.path]
            try gzip.run()
            gzip.waitUntilExit()
            return try Data(contentsOf: URL(fileURLWithPath: url.path + ".gz"))
        }
        // A first member far larger than the last: the buffer sized from the last trailer has to grow.
        let big = (0..<20_000).map { "<p>paragraph \($0) of a long page</p>" }.joined()
        let joined = dir.appendingPathComponent("joined.gz")
        try (gzip(big, "a") + gzip("<p>tail</p>", "b")).write(to: joined)
        XCTAssertEqual(String(decoding: try FileReader.read(joined.path), as: UTF8.self), big + "<p>tail</p>")
        XCTAssertThrowsError(try FileReader.read(joined.path, maxBytes: 100_000)) { error in
            XCTAssertTrue("\(error)".contains("larger than 100000 bytes"), "\(error)")
        }

        let whole = try gzip(big, "c")
        let cut = dir.appendingPathComponent("cut.gz")
        try whole.prefix(whole.count / 2).write(to: cut)
        XCTAssertThrowsError(try FileReader.read(cut.path)) { error in
            XCTAssertTrue("\(error)".contains("cut.gz: truncated compressed data"), "\(error)")
        }
        var damaged = whole
        damaged[damaged.count - 6] ^= 0xFF  // the CRC in the trailer
        let bad = dir.appendingPathComponent("bad.gz")
        try damaged.write(to: bad)
        XCTAssertThrowsError(try FileReader.read(bad.path)) { error in
            XCTAssertTrue("\(error)".contains("bad.gz: corrupt compressed data"), "\(error)")
        }
        damaged = whole
        damaged[40] ^= 0x55  // the deflate data
        try damaged.write(to: bad)
        XCTAssertThrowsError(try FileReader.read(bad.path)) { error in
            XCTAssertTrue("\(error)".contains("bad.gz: corrupt compressed data"), "\(error)")
        }
    }
}

final class UTF8Tests: XCTestCase {
    func testFilesAreValidatedAcrossPieces() throws {
        let dir = FileManager.default.temporaryDirectory
        let path = dir.appendingPathComponent("utf8-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // "é" split across the 1 MB pieces the validator reads, then a four-byte character at the very end.
        var valid = Data(repeating: UInt8(ascii: "a"), count: (1 << 20) - 1) + Data("\u{e9}x\u{1F600}".utf8)
        try valid.write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(Charset.isValidUTF8(file: path))
        valid.removeLast()  // a sequence cut short at the end
        try valid.write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(Charset.isValidUTF8(file: path))
        try (Data("ok ".utf8) + Data([0xE9]) + Data(" no".utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(Charset.isValidUTF8(file: path))
        try Data([0xED, 0xA0, 0x80]).write(to: URL(fileURLWithPath: path))  // a surrogate, encoded
        XCTAssertFalse(Charset.isValidUTF8(file: path))
        XCTAssertFalse(Charset.isValidUTF8(file: path + ".missing"))
    }

    func testMixedDocumentsKeepTheirUTF8() {
        let mixed = Data("na\u{ef}ve ".utf8) + Data([0x93, 0x71, 0x94, 0x20, 0xE9])
        XCTAssertEqual(
            Charset.repairingMixedUTF8(mixed).map { String(decoding: $0, as: UTF8.self) },
            "na\u{ef}ve \u{201C}q\u{201D} \u{e9}")
        XCTAssertNil(Charset.repairingMixedUTF8(Data("valid \u{e9}".utf8)), "valid UTF-8 needs no repair")
        XCTAssertNil(
            Charset.repairingMixedUTF8(Data([0x63, 0x61, 0x66, 0xE9])), "no UTF-8 at all: a legacy charset, not a mix")
    }
}

/// Script, style and SVG bodies are cut from the bytes before parsing; anything uncertain is left as it is.
final class UnreadContentTests: XCTestCase {
    func stripped(_ html: String, encoding: String? = nil) -> String? {
        UnreadContent.strip(Data(html.utf8), encoding: encoding).map { String(decoding: $0, as: UTF8.self) }
    }

    func testBodiesAreCutAndJSONLDKept() {
        let page =
            "<head><SCRIPT async>var t = '<p>' + x;</SCRIPT><style>p>a{}</style>"
            + "<script type='application/ld+json'>{\"a\": 1}</script></head><body><p>text</p></body>"
        XCTAssertEqual(
            stripped(page),
            "<head><SCRIPT async></SCRIPT><style></style>"
                + "<script type='application/ld+json'>{\"a\": 1}</script></head><body><p>text</p></body>")
    }

    func testQuotesCommentsAndSelfClosingTagsAreRespected() {
        XCTAssertEqual(
            stripped("<a class='x><script>'>t</a><script>x</script>"), "<a class='x><script>'>t</a><script></script>")
        XCTAssertEqual(
            stripped("<!-- <script> --><p>a</p><script>x</script>"), "<!-- <script> --><p>a</p><script></script>")
        XCTAssertEqual(
            stripped("<script src=a.js/><p>a</p><script>x</script>"), "<script src=a.js/><p>a</p><script></script>")
        XCTAssertNil(stripped("<scripts>x</scripts><p>a</p>"))
        XCTAssertEqual(
            stripped("<style>a</style><script>'</scripts>'</script>"), "<style></style><script>'</scripts>'</script>",
            "a body ended by a longer name reads on as markup")
    }

    func testDrawingsGoAndOtherSVGContentStays() {
        XCTAssertEqual(
            stripped("<p>a<svg viewBox='0 0 1 1'><title>Share</title><g><path d=\"M0 0\"/></g></svg>b</p>"),
            "<p>a<svg ></svg>b</p>")
        XCTAssertNil(stripped("<svg><foreignObject><p>text</p></foreignObject></svg>"))
        XCTAssertNil(stripped("<div><svg><path class='M0'></div></svg>"), "an end tag of the page inside the drawing")
        XCTAssertEqual(
            stripped("<svg><style>.a{}</style><path/></svg>"), "<svg><style></style><path/></svg>",
            "an SVG with a style is scanned like the page")
    }

    func testUnreadAttributesGoWhole() {
        XCTAssertEqual(
            stripped(
                "<img src=\"a.jpg\" SRCSET='a 1x' alt=\"Photo\" data-src = \"b.jpg\" onload=\"f('>')\" class='c'>"),
            "<img      class='c'>")
        XCTAssertEqual(
            stripped("<a href=\"/x\" class='c' data-x=y src=unquoted>t</a><p data-a=\"1\">"),
            "<a  class='c' data-x=y src=unquoted>t</a><p >", "unquoted values stay")
        XCTAssertEqual(
            stripped(
                "<div ID='i' Role=\"main\" aria-hidden='true' aria-label='Menu' style='display:none' hidden>x</div>"),
            "<div ID='i' Role=\"main\" aria-hidden='true'  style='display:none' hidden>x</div>",
            "what extraction reads stays")
        XCTAssertEqual(
            stripped(
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><meta charset='utf-8' x='1'>"),
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><meta charset='utf-8' >",
            "libxml2 reads the encoding from these")
        XCTAssertEqual(
            stripped("<p class='a'title='b' @click='c' x=\"\">t</p>"), "<p class='a' @click='c' >t</p>",
            "a name after a quote goes; one libxml2 would not read as a name stays")
        XCTAssertNil(
            stripped("<a class=\"href='y'\" content=\"data-x='z'\">t</a>"), "only the attributes' own names count")
    }

    func testBlankRunsKeepTheirFirstByteOutsidePreformattedText() {
        XCTAssertEqual(stripped("<div>\n    <p>a  b\t\t c</p>\n\n</div>"), "<div>\n<p>a b\tc</p>\n</div>")
        XCTAssertEqual(
            stripped("<p>x  y</p><PRE>a  \n  b</PRE><textarea>c   d</textarea><p>e  f</p>"),
            "<p>x y</p><PRE>a  \n  b</PRE><textarea>c   d</textarea><p>e f</p>")
        XCTAssertEqual(stripped("<p>a  b</p><plaintext>c  d<p>e  f"), "<p>a b</p><plaintext>c  d<p>e  f")
        XCTAssertEqual(stripped("<p>a \u{0C}\u{0C} b</p>"), nil, "a form feed is no blank to libxml2")
    }

    func testNavigationContentGoesWhenItIsItsOwnSubtree() {
        XCTAssertEqual(
            stripped(
                "<div><nav class='m'><ul><li><a href='/'>Home</a></li><li><a>News</a></li></ul></nav><p>t</p></div>"),
            "<div><nav class='m'></nav><p>t</p></div>")
        XCTAssertEqual(
            stripped("<nav><NAV><a>x</a></NAV><!-- </nav> --><img class='i'><br/><span/></nav>b"), "<nav></nav>b",
            "nested navigations, comments, void and self-closed elements")
        XCTAssertEqual(
            stripped("<nav><script>x</script></nav>"), "<nav><script></script></nav>", "a script: the content stays")
        XCTAssertNil(stripped("<nav><p>a</p></nav>"), "paragraphs close on other elements' start")
        XCTAssertNil(stripped("<nav><ul><li>a<li>b</ul></nav>"), "an end tag left out")
        XCTAssertNil(stripped("<div><nav><span>a</div></nav>"), "an end tag of an element outside")
        XCTAssertNil(stripped("<nav><h2><li>x</li></h2></nav>"), "libxml2 closes the heading at the list item")
        XCTAssertNil(
            stripped("<nav><ol><ul><li>x</li></ul></ol></nav>"), "libxml2 closes the ordered list at the other")
        XCTAssertNil(stripped("<nav><a>x</a>"), "no end")
    }

    func testDoubtLeavesTheRestAlone() {
        XCTAssertNil(stripped("<p>a</p><!-- <script>x</script>"), "unterminated comment")
        XCTAssertNil(stripped("<div title=\"<script>x</script>"), "unterminated quote")
        XCTAssertNil(stripped("<script>var a = 1;"), "unterminated body")
        XCTAssertNil(stripped("<script>a\u{0}b</script>"), "libxml2 ends a body at a NUL")
        XCTAssertEqual(stripped("<style>a</style><script>x<p>b"), "<style></style><script>x<p>b")
    }

    func testOnlyASCIICompatibleBytesAreCut() {
        XCTAssertNil(stripped("<script>x</script>", encoding: "UTF-16LE"))
        XCTAssertNil(stripped("<script>x</script>", encoding: "iso-2022-jp"))
        XCTAssertNotNil(stripped("<script>x</script>", encoding: "windows-1251"))
        XCTAssertNil(
            UnreadContent.strip(
                Data("<script>x</script>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }), encoding: nil))
        XCTAssertNil(stripped("<p>\u{1B}$B</p><script>x</script>"), "ISO-2022 escapes")
    }
}

/// The quick character count agrees with `String.count` everywhere.
final class CharacterCountTests: XCTestCase {
    func testBoundsAndNumbersAgreeWithCharacters() {
        for (text, n) in [
            ("", 0), ("abc", 3), ("abc", 2), ("e\u{301}e\u{301}", 2), ("e\u{301}e\u{301}", 1), ("👨‍👩‍👧x", 2), ("日本語", 3),
        ] {
            XCTAssertEqual(text.hasAtMost(n), text.count <= n, "\(text) \(n)")
        }
        for text in ["no digits here", "year 2024", "٣ أيام", "½ cup", "Ⅻ", "plain café"] {
            XCTAssertEqual(text.containsNumber, text.contains(where: \.isNumber), text)
        }
    }

    func testAgreesWithCount() throws {
        var samples = [
            "", "plain ASCII text", "café crème, Größe, ñandú", "line\r\nbreak\n\r", "Привет, мир", "שלום עולם",
            "مرحبا بالعالم", "مَرْحَبًا", "日本語のテキスト、カタカナ", "한국어 텍스트", "한", "e\u{301}", "👍🏽 family 👨‍👩‍👧",
            "🇫🇷", "ภาษาไทย", "हिन्दी", "ﾃｽﾄﾞ", "™\u{FE0F}", "soft\u{AD}hyphen", "a\u{200D}b",
        ]
        // Every line of the evaluation's page text dumps (many languages), when the shared data is beside us.
        let dumps = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../shared/eval/extraction/data/text")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: dumps.path)) ?? [] {
            let text = try String(contentsOf: dumps.appendingPathComponent(file), encoding: .utf8)
            samples += text.split(separator: "\n").map(String.init)
        }
        for s in samples { XCTAssertEqual(s.characterCount, s.count, s.debugDescription) }
    }
}

final class XMLReaderOpeningTests: XCTestCase {
    /// A document libxml2 cannot even open (no bytes at all) is an error, not a crash: the reader's parser was
    /// freed twice when its initializer threw (`feeds import` of an empty file died with SIGSEGV).
    func testAnEmptyDocumentIsAnErrorNotACrash() throws {
        for _ in 0..<3 {
            XCTAssertThrowsError(try XMLReader.read(data: Data(), url: nil) { _ in () }) { e in
                XCTAssertTrue("\(e)".contains("could not open"), "\(e)")
            }
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).xml")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        for _ in 0..<3 {  // an empty file opens, and holds nothing
            XCTAssertEqual(try XMLReader.read(file: empty.path, url: nil) { r in try r.read() }, false)
        }
    }
}
