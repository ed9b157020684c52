import Extraction
import Feeds
import Foundation
import Service
import XCTest

/// Replays every input the fuzzers (Tests/Fuzz/run.sh) ever found, and hand-made hostile inputs, through the same
/// parsers the fuzz targets drive: each must finish without a crash.
final class FuzzRegressionTests: XCTestCase {
    func inputs(_ target: String) throws -> [(String, Data)] {
        guard let dir = Bundle.module.url(forResource: "Fixtures/fuzz/\(target)", withExtension: nil) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .sorted { $0.path < $1.path }.map { ($0.lastPathComponent, try Data(contentsOf: $0)) }
    }

    func testFeedFindings() throws {
        let found = try inputs("feed")
        XCTAssertFalse(found.isEmpty)
        for (name, data) in found {
            do { _ = try FeedParser.parse(data, url: "http://fuzz.invalid/feed.xml") } catch {
                XCTAssertFalse("\(error)".isEmpty, "\(name): an error says what was wrong")
            }
        }
    }

    func testPageFindings() throws {
        let html = try inputs("html")
        let text = try inputs("text")
        XCTAssertFalse(html.isEmpty)
        XCTAssertFalse(text.isEmpty)
        for (_, data) in html {
            _ = Extractor.extract(data, contentType: "text/html", hints: PageHints(url: "http://fuzz.invalid/a"))
        }
        for (_, data) in text {
            _ = Extractor.extract(data, contentType: "text/plain", hints: PageHints(url: "http://fuzz.invalid/a"))
        }
    }

    /// OPML files as `feeds import` reads them (the first finding: a document whose first bytes made libxml2 report
    /// an error before the reader was attached to its parser, a crash).
    func testOPMLFindings() throws {
        let found = try inputs("opml")
        XCTAssertFalse(found.isEmpty)
        for (_, data) in found {
            for feed in (try? OPML.parse(data)) ?? [] {
                _ = Config.addressProblem(feed.url)
                _ = Config.feedURL(feed.url, base: URL(fileURLWithPath: "/fuzz/"))
            }
        }
    }

    func testConfigFindings() throws {
        let found = try inputs("config")
        XCTAssertFalse(found.isEmpty)
        for (name, data) in found {
            do { _ = try Config.parse(String(decoding: data, as: UTF8.self), path: "/fuzz/\(name)") } catch let e
                as ConfigError
            {
                XCTAssertTrue(e.description.contains("/fuzz/\(name)"), "\(name): the error names the file: \(e)")
            }
        }
    }
}
