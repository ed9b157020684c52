import Foundation
import TestSupport
import XCTest

/// The web page in a real browser (Chromium, headless, from Debian's packages; CI installs it): the seed story
/// renders with its five outlets and their clean text, and the list and story pages render to images.
final class BrowserTests: XCTestCase {
    /// Chromium is part of what the suite needs (the README's first command and .ci/run install it): without it
    /// the test fails, saying so.
    private struct BrowserMissing: Error, CustomStringConvertible {
        var description: String { "no Chromium here: apt-get install chromium" }
    }

    private func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw BrowserMissing()
    }

    /// Runs headless Chromium with `arguments` on `url`, at most 60 s; its standard output.
    private func browse(_ chromium: String, _ arguments: [String], _ url: String) throws -> String {
        let profile = temporaryDirectory("tidings-chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let r = try runProgram(
            URL(fileURLWithPath: chromium),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=\(profile.path)",
            ] + arguments + [url],
            deadline: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    func testSeedStoryRendersWithItsFiveOutletsAndCleanText() throws {
        let chromium = try chromium()
        let daemon = try SeedDaemon.start("tidings-browser")
        defer { daemon.process.stopIfRunning() }
        let port = daemon.port
        let dir = daemon.folder

        // The DOM as the browser built it.
        let dom = try browse(chromium, ["--dump-dom"], "http://127.0.0.1:\(port)/stories/1")
        XCTAssertEqual(dom.components(separatedBy: "<article class=\"report\"").count - 1, 5, dom.prefix(2000) + "")
        for outlet in ["24matins", "seed site 000", "seed site 001", "seed site 003", "seed site 004"] {
            XCTAssertTrue(dom.contains(outlet), outlet)
        }
        for seed in try seedExpectations() {
            let first = fold(String(seed.body.split(separator: "\n")[0]))
            XCTAssertTrue(
                fold(dom).contains(
                    fold(first.replacingOccurrences(of: "&", with: "&amp;"))
                        .replacingOccurrences(of: "<", with: "&lt;")), "\(seed.file): its clean text")
        }
        XCTAssertFalse(dom.contains("<script"), "the page needs no script")

        // Both pages render to images, at a desktop width and at a phone's.
        for (page, size) in [("/", "390,844"), ("/stories/1", "1280,1800")] {
            let png = dir.appendingPathComponent("shot.png")
            try? FileManager.default.removeItem(at: png)
            _ = try browse(
                chromium, ["--window-size=\(size)", "--screenshot=\(png.path)"], "http://127.0.0.1:\(port)\(page)")
            let data = try Data(contentsOf: png)
            XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(page): a PNG")
            XCTAssertGreaterThan(data.count, 10_000, "\(page): an image with something on it")
        }
    }
}
