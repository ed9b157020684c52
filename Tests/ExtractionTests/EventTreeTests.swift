import Foundation
import XCTest

@testable import Extraction
@testable import Markup

/// The page tree is built from parser events; libxml2's own tree, converted node by node, is the reference.
final class EventTreeTests: XCTestCase {
    /// Compares the event-built tree with libxml2's. Reading for text, the built tree parsed the page with script,
    /// style, SVG and navigation bodies and unread attributes dropped beforehand: there such an element may have no
    /// children where libxml2's has only text (a JSON-LD script keeps its text) or, for an SVG or a navigation,
    /// only drawing or navigation elements, only
    /// the attributes extraction reads are compared, and text is compared with each run of blanks cut to its first
    /// byte; everything else must be the same.
    func assertSameTree(
        _ data: Data, encoding: String? = nil, _ label: String, reading: HTMLDocument.Reading = .everything,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let built = HTMLDocument(data: data, encoding: encoding, reading: reading).root
        let reference = HTMLDocument.referenceTree(data: data, encoding: encoding)
        var nodes = 0
        func compare(_ a: HTMLNode, _ b: HTMLNode, _ path: String) -> Bool {
            nodes += 1
            let forText = reading == .text
            let read = Set(UnreadContent.readAttributes.map { $0.description })
            func compared(_ n: HTMLNode) -> [String] {
                n.attributes.pairs.filter { !forText || read.contains($0.0) }.map { "\($0.0)=\($0.1)" }
            }
            let bodyDropped =
                forText && a.children.isEmpty && !b.children.isEmpty
                && ((a.name == "script" || a.name == "style") && b.children.allSatisfy(\.isText)
                    && !(a.attribute("type") ?? "").contains("ld+json")
                    || a.name == "svg"
                        && b.descendants { !UnreadContent.drawingElements.contains(Array($0.name.utf8)) }.isEmpty
                    || a.name == "nav"
                        && b.descendants { !UnreadContent.navigationElements.contains(Array($0.name.utf8)) }.isEmpty)
            func squeezed(_ text: String) -> [UInt8] {
                var out: [UInt8] = []
                for c in text.utf8 {
                    let blank = c == 32 || c == 9 || c == 10 || c == 13
                    if forText, blank, let last = out.last, last == 32 || last == 9 || last == 10 || last == 13 {
                        continue
                    }
                    out.append(c)
                }
                return out
            }
            guard a.name == b.name, squeezed(a.text) == squeezed(b.text), compared(a) == compared(b),
                a.children.count == b.children.count || bodyDropped
            else {
                XCTFail(
                    "\(label): \(path) differs: \(a.name) \(a.attributes.pairs) \(a.text.prefix(60).debugDescription) \(a.children.count) children"
                        + " / \(b.name) \(b.attributes.pairs) \(b.text.prefix(60).debugDescription) \(b.children.count) children",
                    file: file, line: line)
                return false
            }
            for (i, (x, y)) in zip(a.children, b.children).enumerated() {
                guard x.parent == a else {
                    XCTFail("\(label): \(path)/\(i) has another parent", file: file, line: line)
                    return false
                }
                if !compare(x, y, path + "/\(i):\(x.name)") { return false }
            }
            return true
        }
        _ = compare(built, reference, "html")
        XCTAssertGreaterThan(nodes, 0, label, file: file, line: line)
    }

    func testRealPagesGiveLibxml2sTree() throws {
        let dir = fixtureURL("pages")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".gz") }
            .sorted()
        XCTAssertGreaterThanOrEqual(pages.count, 5)
        for page in pages {
            let data = try FileReader.read(dir.appendingPathComponent(page).path)
            assertSameTree(data, page)
            assertSameTree(data, page + " read for text", reading: .text)
        }
        // The evaluation pages too, when the shared data sits beside the repository.
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../shared/eval/extraction/data/html")
        if let more = try? FileManager.default.contentsOfDirectory(atPath: shared.path).filter({ $0.hasSuffix(".gz") })
            .sorted()
        {
            for page in more {
                let data = try FileReader.read(shared.appendingPathComponent(page).path)
                assertSameTree(data, page)
                assertSameTree(data, page + " read for text", reading: .text)
            }
        }
    }

    func testAwkwardMarkupGivesLibxml2sTree() {
        let deep =
            String(repeating: "<div>", count: 400) + "deep text" + String(repeating: "</div>", count: 400)
            + "<p>after</p>"
        let cases: [(String, String)] = [
            ("deep", "<html><body>" + deep + "</body></html>"),
            ("comments", "<p>one<!-- c -->two<?pi x?>three</p><p>  <b>x</b> <i>y</i>  </p>"),
            (
                "script",
                "<html><head><script>var a = '<p>'; // </scr + ipt></script><style>p { }</style></head><body>t</body></html>"
            ),
            (
                "attributes",
                "<input disabled checked=checked hidden><td nowrap ID=x Class='a b' data-X=\"&amp;&lt;\">cell</td>"
            ),
            (
                "unread attributes",
                "<img SRC='a.jpg' srcset=\"a.jpg 1x, b.jpg 2x\" alt='Photo' data-lazy = 'x' onClick=\"go('<b>')\" "
                    + "one=1 sizes=100vw src=unquoted><a href='/story' data-id=\"\" title=\"src='x'\">link</a>"
            ),
            ("stray", "text before<html lang=fr><body><p>x</html><p>after the end</p><html class=late><div>more</div>"),
            ("implied", "<title>t</title><li>a<li>b<table><tr><td>c</table>   \n  <p>d"),
            (
                "doctype",
                "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><html><body>  <p>a</p>  <div> <span>b</span> </div></body></html>"
            ),
            ("entities", "<p>&eacute;&#233;&#x1F600;&bogus; &amp &lt;b&gt; caf\u{e9}</p>"),
            ("empty", ""),
            ("blank", "   \n  "),
            (
                "raw text",
                "<html><head><SCRIPT type=text/javascript>if (a <b && c> d) document.write('<div>');</Script >"
                    + "<style media='x>y'>p > a { color: red }</STYLE><script type=\"application/ld+json\">{\"headline\": \"<b>\"}</script>"
                    + "<script src=a.js /><script/></head><body><p>kept</p><!-- <script> --><p>after a comment</p>"
                    + "<a title='<script>' href=x>link</a><p>after an attribute</p><script>var s = '</scripts>'; x</script>"
                    + "<p>after a prefix end</p><scripts>not a script</scripts><style></style><script>unterminated <p>tail</p>"
            ),
            ("unterminated comment", "<p>a</p><!-- <script>x</script> <p>b</p>"),
            ("unterminated quote", "<p>a</p><div title=\"<script>x</script><p>b</p>"),
            ("nul in script", "<p>a</p><script>x\u{0}y</script><p>b</p>"),
            (
                "navigation",
                "<body><p>a<nav class=m><ul><li><a href=/>x</a></li><li><svg><path d=M0/></svg></li></ul></nav>b</p>"
                    + "<div><nav><h2><span>Menu</span></h2><div><a>y</a><br><img src=i.png></div></nav><p>after</p></div>"
                    + "<nav><p>kept: a paragraph</p></nav><nav><ul><li>a<li>b</ul></nav><div><nav><span>x</div></nav><p>c</p>"
                    + "<nav><ol><ul><li>z</li></ul></ol></nav><nav><h3><li>w</li></h3></nav><p>end</p></body>"
            ),
            (
                "svg",
                "<p>a <svg width=10><title>Mail</title><defs><linearGradient id=g><stop/></linearGradient></defs>"
                    + "<g fill=red><PATH d='M0 0L1 1'></PATH><circle r=1 /></g></svg> b</p><div><svg><foreignObject><p>x</p>"
                    + "</foreignObject></svg><svg><path></div><p>after a broken drawing</p>"
            ),
        ]
        for (label, html) in cases {
            assertSameTree(Data(html.utf8), label)
            assertSameTree(Data(html.utf8), label + " read for text", reading: .text)
        }
        let latin1 = Data(
            "<html><head><meta charset=iso-8859-1></head><body><p>caf\u{e9} cr\u{e8}me</p></body></html>".utf8.map {
                $0
            })
        var bytes =
            [UInt8]("<html><body><p>caf".utf8) + [0xE9] + [UInt8](" cr".utf8) + [0xE8]
            + [UInt8]("me</p></body></html>".utf8)
        assertSameTree(latin1, "declared charset")
        assertSameTree(Data(bytes), encoding: "windows-1252", "charset given")
        bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
        assertSameTree(Data(bytes), "utf-8 bom and bad bytes")
    }
}
