import Foundation
import XCTest

@testable import Markup

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

    /// Two elements share a name identity exactly when namespace, local name and prefix agree (across the
    /// document's 64 KB chunks too): the feed reader keys what it works out from a name by it.
    func testNameIdentityFollowsTheName() throws {
        let filler = String(repeating: "<x>filler text</x>", count: 5000)  // past the first chunk
        let xml = """
            <rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:a="http://purl.org/dc/elements/1.1/">
            <title>t</title><dc:title>d</dc:title><a:title>a</a:title>\(filler)<title>t2</title><dc:title>d2</dc:title>
            <content:encoded>undeclared</content:encoded></rss>
            """
        var ids: [(String, NameIdentity)] = []
        try XMLReader.read(data: Data(xml.utf8), url: nil) { r in
            while try r.read() {
                guard r.kind == .element, r.localName != "x" else { continue }
                ids.append((r.qualifiedName, r.nameIdentity))
            }
        }
        let byName = Dictionary(grouping: ids, by: \.0).mapValues { Set($0.map(\.1)) }
        XCTAssertEqual(byName["title"]?.count, 1)
        XCTAssertEqual(byName["dc:title"]?.count, 1)
        XCTAssertEqual(ids.filter { $0.0 == "title" }.count, 2)
        XCTAssertEqual(
            Set(["title", "dc:title", "a:title", "content:encoded"].compactMap { byName[$0]?.first }).count, 4)
    }

    /// `elementKind` names starts and ends as `kind` does and nothing else: text, white space, comments and
    /// instructions are nil.
    func testElementKindIsKindForElementsOnly() throws {
        let xml = "<a>text<b>x</b> <!-- c --><?pi d?><e/></a>"
        var pairs: [(XMLNodeKind, XMLNodeKind?)] = []
        try XMLReader.read(data: Data(xml.utf8), url: nil) { r in
            while try r.read() { pairs.append((r.kind, r.elementKind)) }
        }
        XCTAssertEqual(pairs.count, 10)
        for (kind, elementKind) in pairs {
            XCTAssertEqual(elementKind, kind == .element || kind == .endElement ? kind : nil, "\(kind)")
        }
        XCTAssertEqual(pairs.filter { $0.1 == .element }.count, 3)
        XCTAssertEqual(pairs.filter { $0.1 == .endElement }.count, 2)  // <e/> has no end node
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
