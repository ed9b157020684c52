import Foundation
import Glibc
import TestSupport
import XCTest

final class MetricsTests: XCTestCase {
    /// With [metrics] listen set, `tidings serve` answers GET /metrics in the Prometheus text format.
    func testServeExposesPrometheusMetrics() throws {
        let dir = temporaryDirectory("tidings-metrics")
        let port = closedLocalPort()
        let config = dir.appendingPathComponent("tidings.toml")
        try """
        database = "m.db"
        [metrics]
        listen = "127.0.0.1:\(port)"
        [[feed]]
        url = "\(repositoryRoot().path)/seeds/feed.xml"
        """.write(to: config, atomically: true, encoding: .utf8)
        let serve = try startDaemon(config: config, arguments: [])
        defer { serve.stopIfRunning() }
        var body = ""
        let end = Date().addingTimeInterval(20)
        while Date() < end {
            let r = try runTool(
                "bash",
                [
                    "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/\(port) && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3",
                ])
            body = r.output
            if body.contains("tidings_articles_stored_total 5") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(body.hasPrefix("HTTP/1.1 200 OK"), body)
        XCTAssertTrue(body.contains("# TYPE tidings_feed_fetches_total counter"), body)
        XCTAssertTrue(body.contains("tidings_articles_stored_total 5"), body)
        XCTAssertTrue(body.contains("tidings_feeds_configured 1"), body)
        serve.terminate()
        serve.waitUntilExit()
        XCTAssertEqual(serve.terminationStatus, 0)
    }
}
