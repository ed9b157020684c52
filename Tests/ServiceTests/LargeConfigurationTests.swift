import Foundation
import Service
import TestSupport
import XCTest

@testable import Store

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
