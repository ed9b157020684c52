import Foundation
import XCTest

@testable import Extraction
@testable import Markup

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
