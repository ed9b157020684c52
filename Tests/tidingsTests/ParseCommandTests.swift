import Foundation
import TestSupport
import XCTest

final class ParseCommandTests: XCTestCase {
    /// `parse FILE --url URL --content-type TYPE` reads a saved response as it came: links resolve against the URL,
    /// the HTTP charset beats the XML declaration; categories and the self link are printed.
    func testURLAndContentTypeOfASavedResponse() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("saved.xml")
        var bytes = Data(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>caf"
                .utf8)
        bytes.append(0xE9)  // é in ISO-8859-1, which the HTTP header declares
        bytes.append(
            contentsOf: Data(
                "</title><atom:link rel=\"self\" href=\"feed.xml\"/><item><title>a</title><link>/a.html</link><category>World</category></item></channel></rss>"
                    .utf8))
        try bytes.write(to: file)
        let r = try runTidings([
            "parse", "--json", file.path, "--url", "https://news.example/rss/", "--content-type",
            "text/xml; charset=ISO-8859-1",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let feed = try XCTUnwrap(json["feed"] as? [String: Any])
        XCTAssertEqual(feed["title"] as? String, "café")
        XCTAssertEqual(feed["self"] as? String, "https://news.example/rss/feed.xml")
        let entry = try XCTUnwrap((json["entries"] as? [[String: Any]])?.first)
        XCTAssertEqual(entry["link"] as? String, "https://news.example/a.html")
        XCTAssertEqual(entry["categories"] as? [String], ["World"])
    }
}
