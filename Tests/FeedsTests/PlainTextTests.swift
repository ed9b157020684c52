import Feeds
import Foundation
import XCTest

@testable import Markup

/// `HTMLText.plainText` reads fragments without building a tree; libxml2's HTML parser is the reference it must
/// agree with, on every HTML fragment of the feed corpus and on whole real pages.
final class PlainTextTests: XCTestCase {
    private func reference(_ html: String) -> String {
        HTMLText.collapseSpaces(HTMLDocument.fragmentText(html, skipping: HTMLText.invisibleInFragments))
    }

    func testAgreesWithLibxml2OnEveryFragmentOfTheCorpus() throws {
        let dir = Bundle.module.url(forResource: "Fixtures/conformance", withExtension: nil)!
        var fragments: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".xml") {
            guard let feed = try? FeedParser.parse(Data(contentsOf: dir.appendingPathComponent(name))) else { continue }
            for e in feed.entries {
                fragments += e.contents
                if let s = e.summaryHTML { fragments.append(s) }
            }
        }
        XCTAssertGreaterThan(fragments.count, 1000)
        var differ: [String] = []
        for html in fragments where HTMLText.plainText(fromHTML: html) != reference(html) {
            differ.append(
                "\(html.prefix(300))\n  got:  \(HTMLText.plainText(fromHTML: html).prefix(300))\n  want: \(reference(html).prefix(300))"
            )
        }
        XCTAssertLessThanOrEqual(
            differ.count, fragments.count / 200,
            "\(differ.count) of \(fragments.count) differ:\n"
                + differ.prefix(8).joined(separator: "\n"))
    }

    func testHandMadeEdges() {
        let cases = [
            "a &amp b &foo; c &#65;&#x42;&#0;&#xD800; d", "x < y && z > w", "<p>one<p>two</p>three",
            "<select><option>a<option>b</select>after", "<div><button>x</div>shown", "<!-- c -->text<!-- open",
            "<a href='x>y'>link</a> tail", "<br/>a<br>b<hr/>c", "<script>if (a<b) { x = '</p>' }</script>after",
            "<STYLE>p{}</STYLE><B>Bold</B>", "<![CDATA[raw]]> text", "<?php echo 1 ?>after", "</ x> y",
            "<html><head><title>T</title></head><body>B</body></html>", "&nbsp;&eacute;&hellip;&rsquo;&euro;",
            "caf\u{E9}\u{00A0}au\u{2009}lait", "<svg><title>chart</title></svg> caption", "a\u{0C}b\u{01}c",
        ]
        for html in cases {
            XCTAssertEqual(HTMLText.plainText(fromHTML: html), reference(html), html)
        }
    }

    /// `hasText` stops at the first visible character; it must answer as the whole plain text would, on every
    /// fragment of the corpus and on fragments whose only text is late, a space of either kind, or hidden.
    func testHasTextAnswersAsThePlainTextWould() throws {
        let dir = Bundle.module.url(forResource: "Fixtures/conformance", withExtension: nil)!
        var fragments = [
            "", "   ", "<p> </p>", "<img src=x>", "&nbsp;", "<p>\u{00A0}</p>", "<script>x</script>", "<!-- c -->",
            "<style>p{}</style><p></p>late", "<select><option>a</select>", "&#0;", "&#32;&#x20;", "<br>\u{3000}",
            // Longer than the pieces it is read in, with spaces of three bytes across their cuts.
            String(repeating: "\u{3000}", count: 70), String(repeating: " \u{2009}", count: 40) + "x",
            "<p>" + String(repeating: "\u{00A0}", count: 90) + "</p>", String(repeating: "\u{01}", count: 200),
        ]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".xml") {
            guard let feed = try? FeedParser.parse(Data(contentsOf: dir.appendingPathComponent(name))) else { continue }
            for e in feed.entries { fragments += e.contents + [e.title].compactMap { $0 } }
        }
        for html in fragments {
            for keeping in [false, true] {
                let plain = HTMLText.plainText(fromHTML: html, keepingUnicodeSpaces: keeping)
                XCTAssertEqual(
                    HTMLText.hasText(html: html, keepingUnicodeSpaces: keeping), !plain.isEmpty,
                    "\(keeping): \(html.prefix(200))")
            }
        }
    }
}
