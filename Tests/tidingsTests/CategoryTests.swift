import Foundation
import TestSupport
import XCTest

final class CategoryTests: XCTestCase {
    /// An entry's categories are stored with its article, shown by `articles --json` and `show --json`, filter
    /// `stories`, `articles` and `export` (case-insensitively), and are exported.
    func testCategoriesAreStoredShownFilteredAndExported() throws {
        let items = [
            (
                "a", ["World", "Asia"], "Typhoon reaches the coast of the island province overnight",
                "Fishermen tied their boats in the harbour as wind gusts tore roofs from warehouses near the lighthouse."
            ),
            (
                "b", ["world"], "Parliament votes on the new budget after a long night of debate",
                "Deputies approved higher pensions and a tax on airline tickets, while the opposition walked out in protest."
            ),
            (
                "c", ["Sport"], "The final ends in a draw after extra time and penalties are taken",
                "The goalkeeper saved three penalties and the captain lifted the trophy in front of a silent stadium."
            ),
        ]
        var xml =
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Tagged</title>"
        for (id, categories, title, text) in items {
            xml +=
                "<item><guid>\(id)</guid><title>\(title)</title>"
                + categories.map { "<category>\($0)</category>" }.joined()
                + "<content:encoded><![CDATA[<p>\(title). \(text)</p>]]></content:encoded></item>"
        }
        let body = Data((xml + "</channel></rss>").utf8)
        let server = try TestHTTPServer { _ in
            TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: body)
        }
        let dir = temporaryDirectory()
        let config = dir.appendingPathComponent("t.toml").path
        try "database = \"t.db\"\n[[feed]]\nurl = \"\(server.baseURL)/feed.xml\"\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("t.db").path
        XCTAssertEqual(try runTidings(["run", "--once", "--config", config]).status, 0)

        let world = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(runTidings(["articles", "--json", "--category", "WORLD", "--db", db]).stdout.utf8))
                as? [[String: Any]])
        XCTAssertEqual(Set(world.compactMap { $0["title"] as? String }), Set(items.prefix(2).map(\.2)))
        let first = try XCTUnwrap(world.first { ($0["title"] as? String) == items[0].2 })
        XCTAssertEqual(first["categories"] as? [String], ["World", "Asia"])

        let stories = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(runTidings(["stories", "--json", "--category", "sport", "--db", db]).stdout.utf8))
                as? [[String: Any]])
        XCTAssertEqual(stories.count, 1)
        let storyID = try XCTUnwrap(stories.first?["id"] as? Int)
        let show = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(runTidings(["show", String(storyID), "--json", "--db", db]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(((show["articles"] as? [[String: Any]])?.first?["categories"]) as? [String], ["Sport"])

        let csv = try runTidings(["export", "--format", "csv", "--category", "asia", "--db", db]).stdout
        XCTAssertTrue(csv.hasPrefix("id,story,title,url,source,published,author,lang,text,categories\r\n"), csv)
        XCTAssertEqual(csv.split(separator: "\r\n").count, 2, "the header and one article")
        XCTAssertTrue(csv.hasSuffix(",World; Asia\r\n"), csv)
        XCTAssertEqual(
            try runTidings(["articles", "--json", "--category", "none-such", "--db", db]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines), "[]")
    }
}
