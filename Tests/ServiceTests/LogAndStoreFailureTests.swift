import Foundation
import Service
import TestSupport
import XCTest

@testable import Store

final class LogLineTests: XCTestCase {
    /// One event is one bounded line, whatever a remote feed put in its title.
    func testLinesAreBoundedAndOneLineEach() {
        let huge = String(repeating: "é", count: 3_000_000)  // 6 MB
        let line = Logger.line(.info, "feed x: stored \"" + huge + "\"")
        XCTAssertLessThanOrEqual(line.utf8.count, Logger.maxMessageBytes + 64)
        XCTAssertTrue(line.hasPrefix("<6>feed x: stored \"éé"))
        XCTAssertTrue(line.hasSuffix(" more bytes)\n"), String(line.suffix(40)))
        let forged = Logger.line(.warning, "feed http://a.example/\n<3>forged row\r\u{2028}x\u{0}y")
        XCTAssertEqual(forged, "<4>feed http://a.example/ <3>forged row  x y\n")
        XCTAssertEqual(forged.filter { $0 == "\n" }.count, 1)
    }
}

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

final class LargeConfigurationTests: XCTestCase {
    /// A configuration of 50 000 feeds (one OPML import's worth) loads in linear time: each [[feed]] header used to
    /// copy the whole array of feeds read so far (30 000 feeds took 19.5 s, a million never finished). The bound is
    /// a deadline twenty times the time it takes, not a speed measurement.
    func testFiftyThousandFeedsLoadInLinearTime() throws {
        var text = "database = \"big.db\"\n"
        text.reserveCapacity(50_000 * 70)
        for i in 0..<50_000 { text += "[[feed]]\nurl = \"https://feed\(i).example/rss.xml\"\ntitle = \"Feed \(i)\"\n" }
        let path = temporaryDirectory().appendingPathComponent("big.toml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let started = Date()
        let config = try Config.load(path: path.path)
        XCTAssertEqual(config.feeds.count, 50_000)
        XCTAssertEqual(config.feeds.last?.url, "https://feed49999.example/rss.xml")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }
}
