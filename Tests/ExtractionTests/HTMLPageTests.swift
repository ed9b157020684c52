import Foundation
import XCTest

@testable import Extraction
@testable import Markup

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
