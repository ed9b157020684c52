import Foundation
import XCTest

@testable import Markup

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
