import Foundation
import Service
import TestSupport
import XCTest

@testable import Store

final class StoreFailureTests: XCTestCase {
    /// An article the store refuses (here a real SQLite trigger aborts its insert) is an article error: the cycle
    /// reports it and exits 2, where it was logged and then counted as nothing.
    func testAnArticleTheStoreRefusesIsCounted() throws {
        let site = try SeedSite(etag: false)
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (pipeline, store) = try makePipeline([site.feedURL], db: db)
        try store.db.execute(
            """
            CREATE TRIGGER refuse_one BEFORE INSERT ON articles WHEN new.url LIKE '%001_%'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """)
        let report = pipeline.runCycle()
        XCTAssertEqual(report.newArticles, 4)
        XCTAssertEqual(report.articleErrors, 1)
        XCTAssertTrue(
            try store.feeds().first?.lastError?.contains("could not be stored") == true, "feeds list shows it")
        try store.db.execute("DROP TRIGGER refuse_one")
        let again = pipeline.runCycle()
        XCTAssertEqual(again.newArticles, 1, "the refused article is tried again next cycle")
        XCTAssertEqual(again.articleErrors, 0)
        XCTAssertNil(try store.feeds().first?.lastError)
    }
}
