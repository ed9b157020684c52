import Foundation
import XCTest

@testable import Extraction
@testable import Markup

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

    /// One article met five times (section feeds of its outlet, a feed that changes GUIDs, another query string)
    /// teaches the site's memory once: the fourth fetch keeps every paragraph instead of finding its own text on
    /// "three pages" of the site and dropping it.
    func testTheSamePageTeachesOnce() {
        let page = """
            <html><body><nav><a href="/">Home</a></nav><article><h1>Harbour works finish early</h1>
            <p>The harbour authority said on Monday that the dredging of the main channel, begun in the spring, would be finished before the winter storms.</p>
            <p>Engineers said the silt removed from the channel would be used to rebuild the dunes along the beach, which were badly eroded last year.</p>
            </article></body></html>
            """
        var learned = TemplateMemory.Host()
        var bodies: [Int] = []
        for _ in 1...5 {
            let a = Extractor.extract(Data(page.utf8), contentType: "text/html", learningInto: &learned)
            bodies.append(a.paragraphs.count)
        }
        XCTAssertEqual(bodies, [2, 2, 2, 2, 2])
        XCTAssertEqual(learned.pages, 1)
        XCTAssertEqual(learned.seen.count, 1)
    }
}
