import Foundation
import XCTest

@testable import Lexicon
@testable import Stories

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
