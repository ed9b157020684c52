import Foundation
import Stories
import XCTest

struct Seed: Decodable { let file: String; let title: String; let body: String }

func seeds() throws -> [Seed] {
    let url = Bundle.module.url(forResource: "Fixtures/seeds-expected", withExtension: "json")!
    return try JSONDecoder().decode([Seed].self, from: Data(contentsOf: url))
}

let june19 = Date(timeIntervalSince1970: 1_718_805_960)

final class CanonicalURLTests: XCTestCase {
    func testTrackingAndSpellingVariantsCollapse() {
        let c = URLCanonicalizer.canonical
        let base = c("https://example.com/news/story-1")
        XCTAssertEqual(c("HTTP://WWW.Example.com:80/news/story-1/?utm_source=rss&utm_medium=feed#comments"), base)
        XCTAssertEqual(c("https://example.com/news/story-1?fbclid=abc&gclid=def"), base)
        XCTAssertEqual(c("https://m.example.com/news/story-1/amp"), base)
        XCTAssertEqual(c("https://amp.example.com/news/story-1.amp"), base)
        XCTAssertEqual(c("https://example.com/news/story-1?b=2&a=1"), c("https://example.com/news/story-1?a=1&b=2"))
        XCTAssertNotEqual(c("https://example.com/news/story-1?id=7"), base, "meaningful parameters stay")
        XCTAssertNotEqual(c("https://example.com/news/story-2"), base)
    }
}

final class StoryIndexTests: XCTestCase {
    func doc(_ id: String, _ text: String, url: String? = nil, title: String? = nil, hours: Double = 0) -> ClusterDocument {
        ClusterDocument(id: id, url: url, title: title, text: text, published: june19.addingTimeInterval(hours * 3600))
    }

    func testSeedPagesFormOneStory() throws {
        let index = StoryIndex()
        let stories = try seeds().enumerated().map { i, s in index.assign(doc(s.file, s.body, hours: Double(i))).story }
        XCTAssertEqual(Set(stories).count, 1, "five reports of one event are one story")
    }

    func testSameURLAndSameTextJoin() throws {
        let s = try seeds()[0]
        let index = StoryIndex()
        let first = index.assign(doc("a", s.body, url: "https://news.example/a?utm_source=x"))
        let byURL = index.assign(doc("b", "Completely different words here.", url: "https://www.news.example/a#top"))
        XCTAssertEqual(byURL.story, first.story)
        XCTAssertEqual(byURL.reason, .sameURL)
        let byText = index.assign(doc("c", s.body, url: "https://mirror.example/other"))
        XCTAssertEqual(byText.story, first.story)
        XCTAssertEqual(byText.reason, .sameText)
    }

    func testCopyWithOtherChromeJoins() throws {
        let s = try seeds()[3]
        let index = StoryIndex()
        let first = index.assign(doc("orig", s.body))
        let copy = "Share this article. Advertisement. " + s.body + " Related: five things to know before you travel this summer. © 2024 Aggregator Inc."
        let a = index.assign(doc("copy", copy, url: "https://aggregator.example/x"))
        XCTAssertEqual(a.story, first.story)
    }

    func testUnrelatedStoriesStayApart() throws {
        let index = StoryIndex()
        let seed = index.assign(doc("seed", try seeds()[0].body))
        let other = index.assign(doc("other", """
            La municipalité a annoncé mardi la fermeture de la piscine olympique pour des travaux de rénovation qui \
            dureront au moins dix-huit mois. Les clubs de natation seront accueillis dans les bassins des communes voisines, \
            et les horaires du public seront réduits pendant toute la durée du chantier, selon l'adjointe aux sports.
            """))
        XCTAssertNotEqual(seed.story, other.story)
        XCTAssertEqual(other.reason, .newStory)
    }

    func testStoriesCloseAfterTheWindow() throws {
        let s = try seeds()
        let index = StoryIndex(settings: ClusterSettings(windowHours: 48))
        let first = index.assign(doc("a", s[0].body))
        let later = index.assign(doc("b", s[4].body, hours: 24 * 30))
        XCTAssertNotEqual(first.story, later.story, "a month later, the same words are a new story")
    }

    func testRestoreContinuesNumberingAndMembership() throws {
        let s = try seeds()
        let index = StoryIndex()
        index.restore(doc("a", s[0].body), story: 41)
        index.continueNumbering(after: 41)
        XCTAssertEqual(index.assign(doc("b", s[1].body, hours: 1)).story, 41)
        let unrelated = index.assign(doc("c", "Le conseil municipal a voté le budget de la piscine et des écoles pour l'année prochaine, avec une hausse des investissements dans les quartiers nord de la ville."))
        XCTAssertEqual(unrelated.story, 42)
    }
}
