import Foundation
import Glibc
import TestSupport
import XCTest

final class MetricsTests: XCTestCase {
    /// With [metrics] listen set (the setting from before [http]), `tidings serve` answers GET /metrics in the
    /// Prometheus text format, from the web server on that address.
    func testServeExposesPrometheusMetrics() throws {
        let daemon = try SeedDaemon.start("tidings-metrics", section: "[metrics]", arguments: [])
        let serve = daemon.process
        let port = daemon.port
        defer { serve.stopIfRunning() }
        var reply = HTTPReply(status: 0, headers: [:], body: "")
        _ = eventually(30) {
            reply = httpRequest(port: port, "/metrics")
            return reply.body.contains("tidings_articles_stored_total 5")
        }
        let body = reply.body
        XCTAssertEqual(reply.status, 200, body)
        XCTAssertEqual(reply.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertTrue(body.contains("# TYPE tidings_feed_fetches_total counter"), body)
        XCTAssertTrue(body.contains("tidings_articles_stored_total 5"), body)
        XCTAssertTrue(body.contains("tidings_feeds_configured 1"), body)
        serve.terminate()
        serve.waitUntilExit()
        XCTAssertEqual(serve.terminationStatus, 0)
    }
}
