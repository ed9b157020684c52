import Foundation
import XCTest

@testable import Lexicon
@testable import Stories

final class StoryIndexTests: XCTestCase {
    func doc(
        _ id: String, _ text: String, url: String? = nil, title: String? = nil, hours: Double = 0
    ) -> ClusterDocument {
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

    /// Past the words read, a long article's copy is the same text only if it is as long; a copy with another
    /// ending is still a copy.
    func testLongArticlesAreComparedOnTheirScannedWords() throws {
        let long = (0..<(3 * StoryIndex.scannedWords)).map { "mot\($0 % 997) terme\($0 / 7)" }.joined(separator: " ")
        let index = StoryIndex()
        let first = index.assign(doc("a", long, url: "https://one.example/a"))
        let same = index.assign(doc("b", long, url: "https://two.example/b"))
        XCTAssertEqual(same.story, first.story)
        XCTAssertEqual(same.reason, .sameText)
        let otherEnding = index.assign(
            doc("c", long + " Mise à jour : la préfecture a levé l'alerte.", url: "https://three.example/c"))
        XCTAssertEqual(otherEnding.story, first.story)
        XCTAssertEqual(otherEnding.reason, .nearCopy, "not the same text: it is longer")
    }

    func testCopyWithOtherChromeJoins() throws {
        let s = try seeds()[3]
        let index = StoryIndex()
        let first = index.assign(doc("orig", s.body))
        let copy =
            "Share this article. Advertisement. " + s.body
            + " Related: five things to know before you travel this summer. © 2024 Aggregator Inc."
        let a = index.assign(doc("copy", copy, url: "https://aggregator.example/x"))
        XCTAssertEqual(a.story, first.story)
    }

    func testUnrelatedStoriesStayApart() throws {
        let index = StoryIndex()
        let seed = index.assign(doc("seed", try seeds()[0].body))
        let other = index.assign(
            doc(
                "other",
                """
                La municipalité a annoncé mardi la fermeture de la piscine olympique pour des travaux de rénovation qui \
                dureront au moins dix-huit mois. Les clubs de natation seront accueillis dans les bassins des communes voisines, \
                et les horaires du public seront réduits pendant toute la durée du chantier, selon l'adjointe aux sports.
                """))
        XCTAssertNotEqual(seed.story, other.story)
        XCTAssertEqual(other.reason, .newStory)
    }

    /// One outlet rarely reports one event twice: its own unrelated short posts on one topic stay apart.
    func testSameSourceNeedsMoreThanTopicalOverlap() throws {
        let index = StoryIndex()
        let a = index.assign(
            ClusterDocument(
                id: "a", url: "https://blog.example/awesome#restic", source: "blog.example",
                title: "Restic",
                text:
                    "Restic is the tool you should be using for your backups: you can always restore, it deduplicates, it encrypts, and it works with every storage backend I have tried, from a USB disk to object storage. Snapshots are cheap, pruning is predictable, and the repository format is documented well enough that I trust I could read my data back even if the project disappeared tomorrow.",
                published: june19))
        let b = index.assign(
            ClusterDocument(
                id: "b", url: "https://blog.example/awesome#excalidraw", source: "blog.example",
                title: "Excalidraw",
                text:
                    "Excalidraw is amazing. It is very simple, it does not have all the features of other drawing tools, but the hand-drawn look makes every architecture diagram I draw with it friendlier to read. Collaboration works in the browser without an account, the files are plain JSON that live happily in a git repository, and the library of shapes people share covers most of what a whiteboard session needs.",
                published: june19))
        XCTAssertNotEqual(a.story, b.story, "a shared URL up to the #fragment is not enough when the texts disagree")
    }

    func testNameKeysAbsorbTransliterations() {
        XCTAssertEqual(Lexicon.nameSkeleton("Poutine"), Lexicon.nameSkeleton("Putin"))
        XCTAssertEqual(Lexicon.nameSkeleton("Zelensky"), Lexicon.nameSkeleton("Zelenskyy"))
        XCTAssertEqual(Lexicon.nameSkeleton("Corée"), Lexicon.nameSkeleton("Korea"))
        XCTAssertNotEqual(Lexicon.nameSkeleton("Moscou"), Lexicon.nameSkeleton("Madrid"))
    }

    /// Two games the same night, two stories about one team the same week: same topic, different events.
    func testSameTopicDifferentEventsStayApart() throws {
        struct Report: Decodable {
            let id: String
            let topic: String
            let url: String
            let published: String
            let text: String
        }
        let url = Bundle.module.url(forResource: "Fixtures/same-topic", withExtension: "json")!
        let reports = try JSONDecoder().decode([Report].self, from: Data(contentsOf: url))
        XCTAssertEqual(reports.count, 4)
        let index = StoryIndex()
        for r in try seeds() { _ = index.assign(doc(r.file, r.body)) }  // some history in the stream
        let iso = ISO8601DateFormatter()
        let stories = reports.map {
            index.assign(
                ClusterDocument(id: $0.id, url: $0.url, text: $0.text, published: iso.date(from: $0.published))
            ).story
        }
        XCTAssertEqual(Set(stories).count, 4, "each game and each Browns story is its own story")
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
        let unrelated = index.assign(
            doc(
                "c",
                "Le conseil municipal a voté le budget de la piscine et des écoles pour l'année prochaine, avec une hausse des investissements dans les quartiers nord de la ville."
            ))
        XCTAssertEqual(unrelated.story, 42)
    }
}
