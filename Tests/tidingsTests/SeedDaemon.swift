import Foundation
import TestSupport
import XCTest

/// A running `tidings serve` over the bundled seeds feed, its web server on a free loopback port.
struct SeedDaemon {
    let process: Process
    let port: Int
    /// The folder holding its configuration and its database, `seeds.db`.
    let folder: URL

    /// Starts the daemon with its server under `section` (`[http]`, or the older `[metrics]`) and waits, at most
    /// 60 s, until it has stored the five seed pages; the caller stops it (`process.stopIfRunning()`).
    static func start(
        _ name: String, section: String = "[http]", arguments: [String] = ["--log-level", "error"],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> SeedDaemon {
        let folder = temporaryDirectory(name)
        let port = closedLocalPort()
        let config = folder.appendingPathComponent("tidings.toml")
        try """
        database = "seeds.db"
        \(section)
        listen = "127.0.0.1:\(port)"
        [[feed]]
        url = "\(repositoryRoot().path)/seeds/feed.xml"
        """.write(to: config, atomically: true, encoding: .utf8)
        let process = try startDaemon(config: config, arguments: arguments)
        let stored = eventually(60) { httpRequest(port: port, "/api/stats").body.contains("\"articles\":5") }
        XCTAssertTrue(stored, "the daemon did not store the five seed pages within 60 s", file: file, line: line)
        return SeedDaemon(process: process, port: port, folder: folder)
    }
}
