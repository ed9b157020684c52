import Extraction
import Foundation
import XCTest

/// The title a page declares, in Readability's order: JSON-LD, title tags, then `<title>` cut at its separator.
final class DeclaredMetadataTests: XCTestCase {
    private let body =
        "<p>" + String(repeating: "A paragraph of the article, long enough to be read as text. ", count: 8)
        + "</p>"

    private func title(head: String, body extra: String = "") -> String? {
        let html =
            "<html><head>\(head)</head><body><a href=\"#c\">Skip to main content</a>"
            + "<article id=\"c\">\(extra)\(body)</article></body></html>"
        return Extractor.extract(Data(html.utf8), contentType: "text/html").title
    }

    func testDeclaredTitlesInOrder() {
        let ld =
            #"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"From JSON-LD"}</script>"#
        XCTAssertEqual(title(head: ld + #"<meta property="og:title" content="From OG">"#), "From JSON-LD")
        XCTAssertEqual(
            title(
                head: #"<meta name="twitter:title" content="From Twitter"><meta property="og:title" content="From OG">"#
            ),
            "From OG")
        XCTAssertEqual(
            title(head: #"<meta name="dc.title" content="From Dublin Core"><meta property="og:title" content="OG">"#),
            "From Dublin Core")
    }

    /// `<title>`: the site part after the last separator goes, unless that leaves too little; a colon title is
    /// kept whole when a heading spells it; a short title gives way to the only h1; never the skip link.
    func testTheDocumentTitle() {
        XCTAssertEqual(
            title(head: "<title>Tram line extended to the north | City News</title>"),
            "Tram line extended to the north")
        XCTAssertEqual(title(head: "<title>Home | City News</title>"), "Home | City News")
        XCTAssertEqual(
            title(
                head: "<title>This is a long title with a colon: Hello there</title>",
                body: "<h1>This is a long title with a colon: Hello there</h1>"),
            "This is a long title with a colon: Hello there")
        XCTAssertEqual(
            title(head: "<title>Site</title>", body: "<h1>The one headline of the page</h1>"),
            "The one headline of the page")
        XCTAssertEqual(title(head: "", body: "<h1>Only a heading here</h1>"), "Only a heading here")
    }

    private func article(head: String, body extra: String = "") -> Article {
        let html = "<html><head>\(head)</head><body><article>\(extra)\(body)</article></body></html>"
        return Extractor.extract(Data(html.utf8), contentType: "text/html")
    }

    /// The JSON-LD article (a CDATA wrapper is no part of its JSON) gives the byline and the date, before tags.
    func testJSONLDBylineAndDate() {
        let ld = """
            <script type="application/ld+json"><![CDATA[{"@context":"https://schema.org","@type":"BlogPosting",
            "headline":"A post","datePublished":"2015-10-15T02:19:15Z","author":[{"@type":"Person","name":"Jo Doe"},
            {"@type":"Person","name":"Al Roe"}]}]]></script>
            <meta property="article:published_time" content="2015-12-11T14:28:34Z"><meta name="author" content="Tag Name">
            """
        let a = article(head: ld)
        XCTAssertEqual(a.title, "A post")
        XCTAssertEqual(a.author, "Jo Doe, Al Roe")
        XCTAssertEqual(a.published, ISO8601DateFormatter().date(from: "2015-10-15T02:19:15Z"))
        XCTAssertEqual(article(head: #"<meta name="dc.creator" content="Dee Creator">"#).author, "Dee Creator")
    }

    /// Without a declared byline, the element whose class names a byline gives it, when it reads as one; an
    /// "author" box holding a teaser is passed over.
    func testBylineElement() {
        let teaser = #"<div class="author-teaser">Katie Couric New Yorkers post their feelings about the vote</div>"#
        XCTAssertEqual(
            article(head: "", body: teaser + #"<p class="byline">By Steven Mufson</p>"#).author, "Steven Mufson")
        XCTAssertNil(article(head: "", body: teaser).author)
    }
}
