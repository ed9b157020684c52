import Foundation
import XCTest

@testable import Extraction

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

    /// The byline tags in Readability's order after `author`: `parsely-author`, then `article:author` (also as
    /// "og:article:author"), never a URL.
    func testParselyAndArticleAuthorTags() {
        XCTAssertEqual(article(head: #"<meta name="parsely-author" content="Pat Parse">"#).author, "Pat Parse")
        XCTAssertEqual(article(head: #"<meta property="og:article:author" content="BBC News">"#).author, "BBC News")
        XCTAssertEqual(article(head: #"<meta property="OG:Article:Author" content="BBC News">"#).author, "BBC News")
        XCTAssertEqual(
            article(head: #"<meta property="article:author" content="https://example.com/staff/jo">"#).author, nil)
        XCTAssertEqual(
            article(
                head: #"<meta name="author" content="Al Author"><meta property="article:author" content="Other">"#
            ).author, "Al Author")
    }

    /// A page saved from a browser kept the tracking `<iframe>` a script had put in its head; the HTML parser
    /// closes the head there and the rest of it (the title, the byline and date tags) opens the body, where they
    /// were not read. The head's elements at the start of the body, before anything a reader sees, still count;
    /// a meta further down (a teaser's microdata) does not.
    func testHeadElementsMovedIntoTheBodyAreRead() {
        let html = """
            <html><head><script>var a = 1;</script><iframe src="https://ads.example/x"></iframe>
            <title>Gun laws are his biggest frustration - Example News</title>
            <meta property="og:article:author" content="Example News">
            <meta property="article:published_time" content="2015-07-24T04:36:09Z"></head>
            <body><div><h1>Gun laws are his biggest frustration</h1><p>\(body)</p>
            <div itemscope><meta itemprop="author" content="Teaser Writer"></div></div></body></html>
            """
        let a = Extractor.extract(Data(html.utf8), contentType: "text/html")
        XCTAssertEqual(a.author, "Example News")
        XCTAssertEqual(a.published, ISO8601DateFormatter().date(from: "2015-07-24T04:36:09Z"))
        XCTAssertEqual(a.title, "Gun laws are his biggest frustration")
        let teaserOnly = """
            <html><head><title>A page</title></head><body><div><p>\(body)</p>
            <div itemscope><meta name="author" content="Teaser Writer"></div></div></body></html>
            """
        XCTAssertNil(Extractor.extract(Data(teaserOnly.utf8), contentType: "text/html").author)
    }

    /// A date line is read from its start or from a later word; a year alone (an archive list's "November 2012",
    /// "© 2012") claimed the 1st of January of that year, a view count before the date was read as the year 133,
    /// and "6 days ago 30 minutes …" as 2030. None of those is a page's date.
    func testDatesInTheTextArePlausible() {
        func day(_ s: String) -> Date? { ISO8601DateFormatter().date(from: s + "T00:00:00Z") }
        XCTAssertEqual(Byline.date(in: ["133 views Nov 7, 2012"]), day("2012-11-07"))
        XCTAssertEqual(Byline.date(in: ["publié le 19 juin 2024"]), day("2024-06-19"))
        XCTAssertEqual(Byline.date(in: ["Archives", "November 2012", "November 5, 2012"]), day("2012-11-05"))
        XCTAssertNil(Byline.date(in: ["November 2012", "© 2012", "2012"]))
        XCTAssertNil(Byline.date(in: ["6 days ago 30 minutes inside the mind of 8-time entrepreneur Steve Blank"]))
        let footer = #"<p>November 13, 2012 in Harbour news | <a href="/p/1">Permalink</a></p>"#
        XCTAssertEqual(article(head: "", body: footer).published, day("2012-11-13"))
    }

    /// An American blog's "Posted 11/06/2012" (election day) was read day first, as 11 June: an English page reads
    /// its numeric dates month first unless its language tag or its address names a country that writes the day
    /// first; a page in another language reads them day first.
    func testNumericDatesFollowThePagesCountry() {
        func published(lang: String, url: String = "https://blog.example.com/p") -> Date? {
            let html = """
                <html lang="\(lang)"><head><title>Election night</title></head><body><article>
                <h1>Election night</h1><p>Posted 11/06/2012</p>\(body)</article></body></html>
                """
            return Extractor.extract(Data(html.utf8), contentType: "text/html", hints: PageHints(url: url)).published
        }
        func day(_ s: String) -> Date? { ISO8601DateFormatter().date(from: s + "T00:00:00Z") }
        XCTAssertEqual(published(lang: "en"), day("2012-11-06"))
        XCTAssertEqual(published(lang: "en-US"), day("2012-11-06"))
        XCTAssertEqual(published(lang: "en-GB"), day("2012-06-11"))
        XCTAssertEqual(published(lang: "en", url: "https://www.example.co.uk/p"), day("2012-06-11"))
        XCTAssertEqual(published(lang: "fr"), day("2012-06-11"))
    }

    /// A template's zero date in the declared metadata ("0001-01-01T00:00:00Z" in JSON-LD, the Unix epoch in a
    /// tag) was stored as the publication date; the page's own date line is read instead.
    func testAZeroDeclaredDateGivesWayToTheDateLine() {
        let ld = """
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"A game",
            "datePublished":"0001-01-01T00:00:00Z"}</script><meta property="article:published_time"
            content="1970-01-01T00:00:00Z">
            """
        let a = article(head: ld, body: "<p>Published 11:11 PM EST Nov 19, 2019</p>")
        XCTAssertEqual(a.published, ISO8601DateFormatter().date(from: "2019-11-20T04:11:00Z"))
    }

    /// Without a declared byline, the element whose class names a byline gives it, when it reads as one; an
    /// "author" box holding a teaser is passed over.
    func testBylineElement() {
        let teaser = #"<div class="author-teaser">Katie Couric New Yorkers post their feelings about the vote</div>"#
        XCTAssertEqual(
            article(head: "", body: teaser + #"<p class="byline">By Steven Mufson</p>"#).author, "Steven Mufson")
        XCTAssertNil(article(head: "", body: teaser).author)
    }

    /// Nothing declared and no class names the byline: a schema.org author gives it (its `itemprop="name"`, not
    /// the "Written by" and job title around it), as in Readability.
    func testItempropAuthor() {
        XCTAssertEqual(
            article(head: "", body: #"<p>Posted by <a href="/u/1" itemprop="author">Android Developers</a></p>"#)
                .author, "Android Developers")
        let schema =
            #"<div itemprop="author" itemscope>Written by <span itemprop="name">Ana Lima</span>, science editor</div>"#
        XCTAssertEqual(article(head: "", body: schema).author, "Ana Lima")
    }
}
