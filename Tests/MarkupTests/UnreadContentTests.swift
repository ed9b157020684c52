import Foundation
import XCTest

@testable import Markup

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
