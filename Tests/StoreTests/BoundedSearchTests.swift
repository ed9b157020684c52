import Foundation
import XCTest

@testable import Store

/// Readers' queries are bounded in size and time.
final class BoundedSearchTests: XCTestCase {
    func testLongQueriesManyWordsAndMalformedOnesGetOneClearLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let s = try Store(path: dir.appendingPathComponent("t.db").path)
        try s.record(
            NewArticle(
                feedID: nil, entryKey: "a", url: nil, canonicalURL: nil, title: "Corée", author: nil, published: nil,
                language: "fr", text: "Pyongyang et Moscou", contentHash: nil, source: "x", storyID: 1,
                reason: "new", similarity: 0), storyTitle: "Corée")
        XCTAssertEqual(try s.search("coree").count, 1)
        let cases: [(String, String)] = [
            (Array(repeating: "m* OR", count: 20_000).joined(separator: " ") + " m*", "longer than"),
            (Array(repeating: "m*", count: 40).joined(separator: " OR "), "words; at most"),
            (String(repeating: "a", count: 5000), "longer than"),
            ("*", "prefix*"),
            ("a AND", "where a word or phrase was expected"),
            ("\"unclosed", "unterminated string"),
        ]
        for (query, expected) in cases {
            let started = Date()
            XCTAssertThrowsError(try s.search(query)) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(e)")
                XCTAssertFalse("\(e)".contains("\n"))
                XCTAssertLessThan("\(e)".count, 300)
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), Store.searchTimeLimit)
        }
    }

    /// Any statement on a reader's connection stops at its time limit (here a count to a billion).
    func testTheTimeLimitStopsAStatement() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let s = try Store(path: dir.appendingPathComponent("t.db").path)
        XCTAssertThrowsError(
            try s.db.withTimeLimit(0.2) {
                try s.db.query(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"
                )
            }
        ) { e in XCTAssertEqual((e as? StoreError).map { $0.code & 0xFF }, 9, "\(e)") }
        XCTAssertEqual(try s.db.query("SELECT 1").first?.int(0), 1, "the connection works after the limit")
    }
}
