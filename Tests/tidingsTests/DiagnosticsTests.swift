import Foundation
import TestSupport
import XCTest

final class DiagnosticsTests: XCTestCase {
    /// Bytes that are not in the declared charset: libxml2's own "encoding error : input conversion failed …"
    /// lines reached stderr raw, outside the one-event-per-line format; now nothing but the command's own lines does.
    func testLibxml2DiagnosticsStayOffStderr() throws {
        let dir = temporaryDirectory()
        let feed = dir.appendingPathComponent("bad-charset.xml")
        try Data(
            "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><rss version=\"2.0\"><channel><title>t ".utf8
                + [0xFF, 0xFE, 0x80, 0x20] + Data(" bad</title><item><title>x</title></item></channel></rss>".utf8)
        ).write(to: feed)
        let page = dir.appendingPathComponent("bad-charset.html")
        try Data(
            "<html><head><meta charset=\"shift_jis\"></head><body><p>".utf8 + [0xFF, 0xFE, 0x80, 0x85]
                + Data(" some text of the page</p></body></html>".utf8)
        ).write(to: page)
        for arguments in [["parse", "--json", feed.path], ["extract", "--jsonl", page.path]] {
            let r = try runTidings(arguments)
            let stray = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("tidings: ") && !$0.hasPrefix("<") }
            XCTAssertEqual(stray, [], "\(arguments)")
        }
    }
}
