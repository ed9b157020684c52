import Feeds
import Foundation
import Markup
import XCTest

final class FeedSpacesTests: XCTestCase {
    /// In feed text only ASCII white space collapses: a no-break or thin space is a character the feed chose.
    func testUnicodeSpacesAreKeptInFeedText() throws {
        let rss =
            "<rss version=\"2.0\"><channel><title>testing &#160; entity</title><item><title>a&#8201;b  \t c</title></item></channel></rss>"
        let feed = try FeedParser.parse(Data(rss.utf8))
        XCTAssertEqual(feed.title, "testing \u{A0} entity")
        XCTAssertEqual(feed.entries[0].title, "a\u{2009}b c")
        XCTAssertEqual(HTMLText.plainText(fromHTML: "a&nbsp;&nbsp;b"), "a b", "page text still folds them")
    }
}
