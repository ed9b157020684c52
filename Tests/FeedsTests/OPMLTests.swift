import Foundation
import XCTest

@testable import Feeds

final class OPMLTests: XCTestCase {
    /// What `feeds export` writes, `feeds import` reads back as it was: markup characters and line feeds in a
    /// feed's title survive, and a control character (which a feed's title can carry) no longer makes the whole
    /// document unreadable XML.
    func testExportReadsBackWhateverTheTitlesHold() throws {
        let feeds = [
            OPMLFeed(
                url: "https://a.example/rss?x=1&y=2", title: "Tom's <b>\"news\"</b>\nsecond line", site: nil,
                folders: ["World & more"]),
            OPMLFeed(
                url: "https://b.example/feed", title: "bell\u{7} in the title", site: "https://b.example/", folders: []),
        ]
        let read = try OPML.parse(Data(OPML.document(feeds, title: "<subscriptions>").utf8))
        XCTAssertEqual(read.map(\.url), feeds.map(\.url))
        guard read.count == 2 else { return }
        XCTAssertEqual(read[0].title, "Tom's <b>\"news\"</b>\nsecond line")
        XCTAssertEqual(read[0].folders, ["World & more"])
        XCTAssertEqual(read[1].title, "bell in the title")
        XCTAssertEqual(read[1].site, "https://b.example/")
    }
}
