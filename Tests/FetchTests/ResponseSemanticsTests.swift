import Fetch
import Foundation
import TestSupport
import XCTest

/// What a real server's answers mean to a feed reader: verdicts, validators, caching and Retry-After.
final class ResponseSemanticsTests: XCTestCase {
    private func fetch(_ status: Int, _ headers: [(String, String)]) throws -> FetchResponse {
        let server = try TestHTTPServer { _ in TestResponse(status: status, headers: headers, body: Data("x".utf8)) }
        defer { server.stop() }
        return try HTTPClient().fetch(FetchRequest(url: server.baseURL + "/feed")).get()
    }

    func testVerdicts() throws {
        XCTAssertEqual(try fetch(200, []).feedVerdict, .content)
        XCTAssertEqual(try fetch(304, []).feedVerdict, .notModified)
        XCTAssertEqual(try fetch(410, []).feedVerdict, .gone)
        XCTAssertEqual(try fetch(404, []).feedVerdict, .failed)
        XCTAssertEqual(try fetch(500, []).feedVerdict, .failed)
    }

    func testValidatorsAndCacheLifetime() throws {
        let now = Date()
        let r = try fetch(
            200,
            [
                ("ETag", "\"v1\""), ("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT"),
                ("Cache-Control", "public, max-age=900"),
            ])
        XCTAssertEqual(r.etag, "\"v1\"")
        XCTAssertEqual(r.lastModified, "Tue, 01 Dec 2026 10:00:00 GMT")
        XCTAssertEqual(r.cacheLifetime(now: now), 900)
        let expires = try fetch(200, [("Expires", "Fri, 04 Dec 2026 12:00:00 GMT")])
        let noon = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-12-04T11:00:00Z"))
        XCTAssertEqual(expires.cacheLifetime(now: noon), 3600)
        XCTAssertNil(try fetch(200, []).cacheLifetime(now: now))
    }

    /// Retry-After counts on 429 and 503 only, in seconds or as a date, and never for more than a week.
    func testRetryAfter() throws {
        let now = Date()
        XCTAssertEqual(try fetch(503, [("Retry-After", "120")]).retryAfter(now: now), now.addingTimeInterval(120))
        XCTAssertEqual(
            try fetch(429, [("Retry-After", "99999999")]).retryAfter(now: now),
            now.addingTimeInterval(FetchResponse.longestRetryAfter))
        let noon = try XCTUnwrap(ISO8601DateFormatter().date(from: "2026-12-04T11:00:00Z"))
        XCTAssertEqual(
            try fetch(503, [("Retry-After", "Fri, 04 Dec 2026 12:00:00 GMT")]).retryAfter(now: noon),
            noon.addingTimeInterval(3600))
        XCTAssertNil(try fetch(500, [("Retry-After", "120")]).retryAfter(now: now))
        XCTAssertNil(try fetch(503, []).retryAfter(now: now))
    }
}
