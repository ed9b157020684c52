import Foundation
import XCTest

@testable import Extraction
@testable import Markup

func fixtureURL(_ path: String) -> URL { Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil)! }

/// White space folded (NBSP included).
func fold(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{202F}" }).joined(separator: " ")
}

/// The extraction benchmark's metric for one page: F1 of 4-word shingles as multisets.
func shingleF1(_ truth: String, _ predicted: String) -> Double {
    func shingles(_ s: String) -> [String: Int] {
        let words = s.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
        var out: [String: Int] = [:]
        if words.count < 4 {
            if !words.isEmpty { out[words.joined(separator: " ")] = 1 }
            return out
        }
        for i in 0...(words.count - 4) { out[words[i..<i + 4].joined(separator: " "), default: 0] += 1 }
        return out
    }
    let t = shingles(truth)
    let p = shingles(predicted)
    var tp = 0
    for (k, v) in p { tp += min(v, t[k] ?? 0) }
    let fp = p.values.reduce(0, +) - tp
    let fn = t.values.reduce(0, +) - tp
    let precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
    let recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
}

struct SeedExpectation: Decodable {
    let file: String
    let title: String
    let body: String
    let not_body: [String]
}

final class SeedPageTests: XCTestCase {
    /// The founding example through the text path: title right, every body line kept in order, no chrome kept.
    func testSeedPagesKeepBodyAndDropChrome() throws {
        let expectations = try JSONDecoder().decode(
            [SeedExpectation].self,
            from: Data(contentsOf: fixtureURL("seeds-expected.json")))
        XCTAssertEqual(expectations.count, 5)
        for e in expectations {
            let text = try String(contentsOf: fixtureURL("seeds/\(e.file)"), encoding: .utf8)
            let article = TextExtractor.extract(text)
            XCTAssertEqual(article.title.map(fold), fold(e.title), e.file)
            XCTAssertEqual(article.language, "fr", e.file)
            let lines = article.paragraphs.map(fold)
            var position = 0
            for line in e.body.split(separator: "\n").map({ fold(String($0)) }) {
                guard let i = lines[position...].firstIndex(of: line) else {
                    XCTFail("\(e.file): body line missing or out of order: \(line.prefix(70))")
                    break
                }
                position = i + 1
            }
            let body = Set(e.body.split(separator: "\n").map { fold(String($0)) })
            for chrome in e.not_body.map(fold) where !body.contains(chrome) {
                XCTAssertFalse(lines.contains(chrome), "\(e.file): kept chrome \(chrome)")
            }
        }
    }

    func testBylinesBecomeMetadata() throws {
        let text = try String(contentsOf: fixtureURL("seeds/002_37583b9e21bd8735.txt"), encoding: .utf8)
        let a = TextExtractor.extract(text)
        XCTAssertEqual(a.author, "Jérôme Nelra")
        XCTAssertEqual(a.published.map(FeedDate.rfc3339), "2024-06-19T16:00:00Z")
    }

    /// A byline that runs on into a date keeps just the name; one that is no name gives none.
    func testBylineNamesEndWhereTheNameDoes() {
        XCTAssertEqual(
            Byline.author(before: ["Von Moritz Bachmann publiziert am 30. Juli 2018"], after: []), "Moritz Bachmann")
        XCTAssertEqual(Byline.author(before: ["By Jane Smith on May 3, 2024"], after: []), "Jane Smith")
        XCTAssertEqual(Byline.author(before: ["Par Jérôme Nelra"], after: []), "Jérôme Nelra")
        XCTAssertEqual(Byline.author(before: ["By Regan Morris September 12, 2018"], after: []), "Regan Morris")
        XCTAssertEqual(
            Byline.author(before: ["By Kashmira Gander On 9/12/18 at 5:46 AM"], after: []), "Kashmira Gander")
        XCTAssertNil(Byline.author(before: ["By Regan September 12, 2018"], after: []), "one name is no name")
        XCTAssertNil(Byline.author(before: ["By the editorial board, updated daily"], after: []))
    }
}

final class HTMLPageTests: XCTestCase {
    struct Truth: Decodable {
        let url: String
        let lang: String
        let articleBody: String
    }

    /// Real pages in three languages: the body matches the benchmark's truth, the language is identified.
    func testRealPagesMatchTheirTruth() throws {
        let truths = try JSONDecoder().decode(
            [String: Truth].self, from: Data(contentsOf: fixtureURL("pages/truth.json")))
        XCTAssertEqual(truths.count, 4)
        for (id, truth) in truths {
            let data = try FileReader.read(fixtureURL("pages/\(id).html.gz").path)
            let article = Extractor.extract(data, contentType: "text/html", hints: PageHints(url: truth.url))
            XCTAssertGreaterThan(shingleF1(truth.articleBody, article.text), 0.9, "\(id) \(truth.url)")
            XCTAssertEqual(article.language, truth.lang, id)
            XCTAssertNotNil(article.title, id)
        }
    }
}

final class TemplateMemoryTests: XCTestCase {
    /// A block seen on several pages of one site is chrome, even when it looks like a sentence.
    func testRecurringBlockIsRemoved() {
        let promo =
            "Subscribe today and get unlimited access to every article, our daily newsletter and the archive, all for one low monthly price."
        func page(_ n: Int) -> String {
            """
            Story number \(n) about the harbour works
            The harbour authority said on day \(n) that the dredging of channel \(n), begun in the spring, would be finished before the winter storms, allowing larger ships to dock from next year.
            \(promo)
            Engineers working on section \(n) of the project said the silt removed from the channel would be used to rebuild the dunes along the beach, which were badly eroded during last year's storms.
            """
        }
        var memory = TemplateMemory.Host()
        XCTAssertTrue(
            TextExtractor.extract(page(0)).paragraphs.contains(promo), "alone, the promo looks like body text")
        for n in 1...3 { memory.learn(blockTexts: TextExtractor.extract(page(n)).paragraphs + [promo]) }
        let a = TextExtractor.extract(page(4), template: memory)
        XCTAssertFalse(a.paragraphs.contains(promo))
        XCTAssertEqual(a.paragraphs.count, 2)

        // The daemon's path: each page is read with the memory and teaches it, in one parse.
        var learned = TemplateMemory.Host()
        for n in 10...13 {
            let article = Extractor.extract(Data(page(n).utf8), contentType: "text/plain", learningInto: &learned)
            XCTAssertEqual(article.paragraphs.contains(promo), n < 13, "page \(n)")
        }
        XCTAssertEqual(learned.pages, 4)
    }
}

final class LanguageTests: XCTestCase {
    func testScriptsAndFunctionWords() {
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "Le président russe est arrivé à Pyongyang pour une visite de deux jours avec les dirigeants."), "fr")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "The president arrived in the capital on Tuesday for a two-day visit with the leaders of the region."),
            "en")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "Der Präsident ist am Dienstag in der Hauptstadt angekommen und wird mit den Führern sprechen."), "de")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "وصل الرئيس الروسي إلى بيونغ يانغ في زيارة تستغرق يومين لتعزيز العلاقات بين البلدين"), "ar")
        XCTAssertEqual(LanguageIdentifier.identify("俄罗斯总统普京抵达平壤，开始为期两天的国事访问，双方签署了全面战略伙伴关系条约。"), "zh")
        XCTAssertNil(LanguageIdentifier.identify("ok"))
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "Президент России прибыл в Пхеньян, и это уже не первый его визит, но он также был там раньше."), "ru")
        XCTAssertEqual(LanguageIdentifier.identify("ロシアの大統領は火曜日に平壌に到着し、二日間の訪問を始めました。"), "ja")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "رئیس جمهور روسیه برای یک سفر دو روزه به پیونگ یانگ رفت و گفتگو با چند رهبر گروه را آغاز کرد"), "fa")
        XCTAssertEqual(LanguageIdentifier.identify("대통령은 화요일에 평양에 도착하여 이틀간의 방문을 시작했습니다."), "ko")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "👍🏽 The president arrived 🇫🇷 in the capital on Tuesday for a visit with the leaders 𝔸."), "en")
        XCTAssertEqual(
            LanguageIdentifier.identify("Ο πρόεδρος έφτασε στην πρωτεύουσα την Τρίτη για επίσκεψη δύο ημερών."), "el")
    }
}

final class ChromeKindTests: XCTestCase {
    func extract(_ name: String) throws -> Article {
        Extractor.extract(try FileReader.read(fixtureURL("pages/\(name)").path), contentType: "text/html")
    }

    /// A post of short lines and lists around two long paragraphs: the element holding them all is the article,
    /// not the longest paragraph alone; the menus and share buttons around it stay out.
    func testShortLinesAroundLongParagraphsAreKept() throws {
        let a = try extract("a860fb-short-lines.html.gz")
        for line in [
            "You recently started dating", "Or even for great sex for one night.", "This game will help you!",
            "Dozens of tricky questions that will help to know each other better",
        ] {
            XCTAssertTrue(a.text.contains(line), line)
        }
        for chrome in ["Join Private Club", "Odnoklassniki", "Shopping cart"] {
            XCTAssertFalse(a.text.contains(chrome), chrome)
        }
    }

    /// A news page followed by a long reader discussion: the article is kept, the comments are not.
    func testCommentThreadIsDropped() throws {
        let a = try extract("232a43-comments.html.gz")
        XCTAssertTrue(
            a.text.contains("Apple plans to release a new 13-inch MacBook Pro with a scissor switch keyboard"))
        XCTAssertFalse(a.text.contains("Before he died, Steve Jobs gave Jony Ive"), "a reader's comment")
        XCTAssertFalse(a.text.contains("I think we'll see similar updates"), "a reader's comment")
    }

    /// A post whose lines are split by <br> in one element: the lines around the ones that read as prose on their
    /// own belong to it; a line of labelled fields in the same element (date, author, category, tags) does not.
    func testLinesOfTheArticlesOwnElementAreKept() throws {
        let a = try extract("358cc4a-br-lines.html.gz")
        XCTAssertTrue(a.text.contains("Chelsea have this morning paid the £71.6million fee"), a.text)
        XCTAssertTrue(a.text.contains("This has freed of the £38million move of Thibaut Courtois to Real Madrid"))
        XCTAssertTrue(a.text.contains("The 23-year-old flew to London yesterday evening"))
        XCTAssertFalse(a.text.contains("Facebook"))
        let b = try extract("f6ac15a-field-line.html.gz")
        XCTAssertTrue(b.text.contains("registrou nesta manhã o arrombamento de dois dos cinco automóveis"), b.text)
        XCTAssertFalse(b.text.contains("Publicado por"), b.text)
    }

    /// Extracts the fixture `name` and checks that every line of `keeps` is in its text and none of `drops`.
    func check(
        _ name: String, keeps: [String], drops: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let a = try extract(name)
        for kept in keeps { XCTAssertTrue(a.text.contains(kept), kept + "\n" + a.text, file: file, line: line) }
        for dropped in drops {
            XCTAssertFalse(a.text.contains(dropped), dropped + "\n" + a.text, file: file, line: line)
        }
    }

    /// Long paragraphs that cite their sources with several inline links are prose (a third of their text is
    /// links); the author box, the "related content" links and the newsletter form after them are not.
    func testProseWithInlineLinksIsKept() throws {
        try check(
            "b0cf2bb-inline-links.html.gz",
            keeps: [
                "South Korea also hosts several polysilicon manufacturers, including the OCI Group",
                "Despite the manufacturing setbacks introduced by its regional neighbor and solar giant",
            ],
            drops: [
                "More articles from Emiliano Bellini", "Hold Ctrl or Cmd to select multiple editions",
                "Elsewhere on pv magazine",
            ])
    }

    /// Names linked to hover cards (a photo, the person's latest headlines) read as the names alone: the cards'
    /// text is hidden by the site's style sheet, and counted as links it sank the paragraphs they sit in.
    func testHoverCardsAreNotText() throws {
        try check(
            "6ebac05-hover-cards.html.gz",
            keeps: ["A New York man pleaded guilty to charges he threatened to kill Rep. Ilhan Omar (D-Minn.)"],
            drops: ["Hillicon Valley", "Sanders doubles down"])
    }

    /// A list in the article body is not chrome for being a list: "summary-list" holds the story's key points.
    /// The bullet that is one link to the home page is still dropped.
    func testAListNamedListInTheBodyIsKept() throws {
        try check(
            "f81c6c0-summary-list.html.gz",
            keeps: [
                "Depending on how much you plan to spend annually, you'll generally fall into one of three FIRE",
                "The road to retiring early isn't easy.",
            ],
            drops: ["Visit Business Insider's homepage"])
    }

    /// A list is kept whole: the two- and three-word items of a changelog ("Bugs fixed") go with the longer items
    /// kept beside them; the share links after the post do not.
    func testAListIsKeptWhole() throws {
        try check(
            "a860fb5-whole-list.html.gz",
            keeps: ["New tasks for the game!", "Challenges coming soon", "Better Android support", "Bugs fixed"],
            drops: ["Pinterest"])
    }

    /// An article in sections side by side (per position: a stats table, then a list of notes): the tables
    /// before and between the notes the scorer picked are the article's too; the site menu and photo credit are not.
    func testWhatLiesBetweenSectionsIsKept() throws {
        try check(
            "6a72de3-sections.html.gz",
            keeps: [
                "DL Myles Garrett 57 77% 1 tackle (1 combined). 3 QH.", "LB Mack Wilson 74 100% 1 tackle, 4 assists",
                "Ogunjobi and Garrett have been playing a ton of snaps all season.",
            ],
            drops: ["Community Guidelines", "Yahoo Browns Depth Chart", "Photo by Kirk Irwin"])
    }

    /// A body cut in two by an embedded player, each half three wrappers deep: the second half is found beside
    /// the first one's outermost wrapper; the "how to listen" links and the follow buttons stay out.
    func testSectionsInWrappersAreOneArticle() throws {
        try check(
            "88c328b-wrapped-sections.html.gz",
            keeps: [
                "The Davis Cup Final began on Monday",
                "Much of the focus on day one was about the feel and staging of the event",
                "The Tennis Podcast is produced weekly throughout the year",
            ],
            drops: ["Follow on Facebook"])
    }

    /// After the story, a "deals" list of cards (a linked headline, one excerpt each) reads like prose but is
    /// other stories; the story is kept without it.
    func testTeaserCardsAreNotTheArticle() throws {
        try check(
            "aade2ec-teaser-cards.html.gz",
            keeps: ["The promise of Google Stadia", "We recently traveled to Google"],
            drops: [
                "Apple recently launched the new Apple AirPods Pro", "Dell has released its list of Black Friday deals",
            ])
    }

    /// A morning digest: each item opens with its linked headline, so none reads as good on its own and the only
    /// block that does is the sign-off after them. The items are prose all the same and are kept; the share
    /// buttons, the caption and the site's footer around them are not.
    func testLinkedDigestItemsBeforeTheOnlyGoodBlockAreKept() throws {
        try check(
            "fde930b-linked-digest.html.gz",
            keeps: [
                "Good morning! This is the tech news you need to know this Tuesday.",
                "The New York state attorney general is investigating WeWork amid layoffs",
                "Apple is holding a surprise event in NYC next month",
            ],
            drops: ["Copyright © 2019 Business Insider", "Werben auf BI", "linkedin"])
    }

    /// A news story that ends with a list of tour dates, plain lines without sentence punctuation: the list
    /// continues the article; the share buttons and related links after it do not.
    func testAPlainListAfterTheLastParagraphIsKept() throws {
        let a = try extract("ac1bfdd-list-after.html.gz")
        for line in [
            "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre", "June 19 – Charlotte, NC @ PNC Music Pavilion",
            "McDonald joined the band in 1975",
        ] {
            XCTAssertTrue(a.text.contains(line), line)
        }
        for chrome in ["Sign up for our newsletter", "In This Article:", "Placing Odds on 14 Groups"] {
            XCTAssertFalse(a.text.contains(chrome), chrome)
        }
    }

    /// An interview cut into two sections of the same class around a photo: both sections are the article,
    /// though the second holds much less text.
    func testSectionsOfTheArticlesClassAreKept() throws {
        let a = try extract("4648a42-sections.html.gz")
        for line in [
            "A: Bleacher Report, Uber Eats, and ParkMobile", "Q: Favorite artists or groups?",
            "A: Bob Marley, Bruno Mars, Drake, The Eagles, Jay Z, Frank Sinatra",
        ] {
            XCTAssertTrue(a.text.contains(line), line)
        }
    }

    /// A page whose article is four paragraphs of a report, then `more`.
    func reportPage(_ more: String) -> Data {
        let prose = (1...4).map {
            "Paragraph \($0) of the report says what the council decided on Tuesday evening, and why the vote was close."
        }
        return Data(
            ("<html><body><article>" + prose.map { "<p>\($0)</p>" }.joined() + more + "</article></body></html>").utf8)
    }

    /// An element hidden by its inline style (any case or spacing) is not read; a style that hides nothing is.
    func testElementsHiddenByStyleAreSkipped() {
        let page = reportPage(
            "<p style='DISPLAY : None'>Hidden promotion that nobody sees on the page at all, whatever it claims.</p>"
                + "<p style='visibility:hidden;color:red'>Invisible teaser text that nobody sees on the page either.</p>"
                + "<p style='display: block'>A visible closing paragraph that the reader does see, with its own sentence.</p>"
        )
        let a = Extractor.extract(page, contentType: "text/html")
        XCTAssertFalse(a.text.contains("Hidden promotion"))
        XCTAssertFalse(a.text.contains("Invisible teaser"))
        XCTAssertTrue(a.text.contains("A visible closing paragraph"), a.text)
        XCTAssertTrue(a.text.contains("Paragraph 4 of the report"))
    }

    /// A hover card (a person's card over a linked name) is not part of the sentence it sits in; the name is.
    func testHoverCardsAreSkipped() {
        XCTAssertTrue(BlockWalker.isPopup("author-Tooltip__card"))
        XCTAssertTrue(BlockWalker.isPopup("x HOVERCARD"))
        XCTAssertTrue(BlockWalker.isPopup("rollover popover"))
        XCTAssertFalse(BlockWalker.isPopup("tool tip"))
        XCTAssertFalse(BlockWalker.isPopup("article-body"))
        let page = reportPage(
            "<p>The motion came from <span class='name-wrap'><a href='/p/1'>Jane Smith</a>"
                + "<span class='c-tooltip'>Jane Smith is a councillor since 2019. Follow her on social media.</span></span>"
                + ", who spoke for the residents of the old harbour district at length.</p>")
        let a = Extractor.extract(page, contentType: "text/html")
        XCTAssertTrue(a.text.contains("The motion came from Jane Smith, who spoke"), a.text)
        XCTAssertFalse(a.text.contains("councillor since 2019"), a.text)
    }

    /// A standings page: the table's rows are the article, each row one line, not one cell per line.
    func testTableRowsAreKeptWhole() throws {
        let a = try extract("11ea381-table.html.gz")
        XCTAssertTrue(
            a.paragraphs.contains { $0.hasPrefix("1 Kyle Busch 5040") }, a.paragraphs.prefix(12).joined(separator: "\n")
        )
        XCTAssertTrue(a.text.contains("Nesta página você terá sempre a classificação atualizada da NASCAR"))
    }
}

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
