import Foundation
import TestSupport
import XCTest

final class ReadingCommandTests: XCTestCase {
    /// search, stats and feeds list on the demo's store.
    func testSearchStatsAndFeedsOnTheDemoStore() throws {
        let db = temporaryDirectory().appendingPathComponent("read.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db], in: repositoryRoot()).status, 0)

        // Every seed page names Corée and Russie; one of them never names Pyongyang.
        for (query, count) in [("coree", 5), ("Corée", 5), ("RUSSIE", 5), ("pyongyang", 4)] {
            let r = try runTidings(["search", query, "--json", "--db", db])
            XCTAssertEqual(r.status, 0, r.stderr)
            let hits = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            XCTAssertEqual(hits.count, count, query)
            XCTAssertTrue(hits.allSatisfy { ($0["snippet"] as? String)?.contains("[") == true })
        }
        let bad = try runTidings(["search", "\"unbalanced", "--db", db])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("cannot search"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("SQLITE"), bad.stderr)

        let stats = try runTidings(["stats", "--json", "--db", db])
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(s["articles"] as? Int, 5)
        XCTAssertEqual(s["stories"] as? Int, 1)
        XCTAssertEqual(s["duplicates_collapsed"] as? Int, 4)

        let feeds = try runTidings(["feeds", "list", "--json", "--db", db])
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(feeds.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["status"] as? Int, 200)
        XCTAssertNotNil(list[0]["next_poll"] as? String)
    }
}
