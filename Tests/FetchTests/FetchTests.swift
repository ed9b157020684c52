import Fetch
import Foundation
import Synchronization
import TestSupport
import XCTest

/// Arrival times, shared with the server's threads.
final class Arrivals: Sendable {
    private let times = Mutex<[(String, Date)]>([])
    func add(_ path: String) { times.withLock { $0.append((path, Date())) } }
    var all: [(String, Date)] { times.withLock { $0 } }
}

final class FetchTests: XCTestCase {
    /// A server answering `reply(path)` as text and noting when each path arrived.
    static func recordingServer(_ reply: @escaping @Sendable (String) -> String) throws -> (TestHTTPServer, Arrivals) {
        let arrivals = Arrivals()
        let server = try TestHTTPServer { r in
            arrivals.add(r.path)
            return .text(reply(r.path))
        }
        return (server, arrivals)
    }

    /// host_spacing: requests to one host start at least that far apart; another host does not wait for them.
    func testRequestsToOneHostAreSpaced() throws {
        let (server, arrivals) = try Self.recordingServer { _ in "ok" }
        var limits = FetchLimits()
        limits.hostSpacing = 0.3
        limits.maxPerHost = 4
        let client = HTTPClient(limits: limits)
        let other = "http://localhost:\(server.port)"  // the same server under another host name
        let requests = (0..<4).map { FetchRequest(url: server.baseURL + "/a\($0)") } + [FetchRequest(url: other + "/b")]
        let results = client.fetchAll(requests)
        XCTAssertTrue(results.allSatisfy { (try? $0.get().status) == 200 })
        let seen = arrivals.all
        let a = seen.filter { $0.0.hasPrefix("/a") }.map(\.1)
        XCTAssertEqual(a.count, 4)
        for (x, y) in zip(a, a.dropFirst()) { XCTAssertGreaterThanOrEqual(y.timeIntervalSince(x), 0.25) }
        let b = try XCTUnwrap(seen.first { $0.0 == "/b" }?.1)
        XCTAssertLessThan(b.timeIntervalSince(a[0]), 0.25, "another host goes ahead instead of waiting its turn")
    }

    func testConditionalGetAnswers304() throws {
        let server = try TestHTTPServer { r in
            if r.headers["if-none-match"] == "\"v1\"" { return TestResponse(status: 304) }
            return .text(
                "<rss/>", type: "application/rss+xml",
                headers: [("ETag", "\"v1\""), ("Last-Modified", "Wed, 19 Jun 2024 15:46:00 GMT")])
        }
        let client = HTTPClient()
        let first = try client.fetch(FetchRequest(url: server.baseURL + "/feed")).get()
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.headers["etag"], "\"v1\"")
        XCTAssertEqual(first.body, Data("<rss/>".utf8))
        let second = try client.fetch(
            FetchRequest(
                url: server.baseURL + "/feed", etag: first.headers["etag"],
                lastModified: first.headers["last-modified"])
        ).get()
        XCTAssertEqual(second.status, 304)
        XCTAssertEqual(server.requests.last?.headers["if-modified-since"], "Wed, 19 Jun 2024 15:46:00 GMT")
        XCTAssertTrue(server.requests[0].headers["user-agent"]?.contains("tidings") == true)
    }

    func testPermanentAndTemporaryRedirects() throws {
        let server = try TestHTTPServer { r in
            switch r.path {
            case "/old": return TestResponse(status: 301, headers: [("Location", "/new")])
            case "/temp": return TestResponse(status: 302, headers: [("Location", "/new")])
            case "/loop": return TestResponse(status: 301, headers: [("Location", "/loop")])
            default: return .text("here")
            }
        }
        let client = HTTPClient()
        let moved = try client.fetch(FetchRequest(url: server.baseURL + "/old")).get()
        XCTAssertEqual(moved.permanentRedirect, server.baseURL + "/new")
        let temp = try client.fetch(FetchRequest(url: server.baseURL + "/temp")).get()
        XCTAssertEqual(temp.status, 200)
        XCTAssertNil(temp.permanentRedirect)
        guard case .failure(let e) = client.fetch(FetchRequest(url: server.baseURL + "/loop")) else {
            return XCTFail("loop followed")
        }
        XCTAssertEqual(e.kind, .tooManyRedirects)
    }

    func testBodyLimitStopsLargeResponses() throws {
        let server = try TestHTTPServer { _ in TestResponse(status: 200, body: Data(repeating: 65, count: 200_000)) }
        var limits = FetchLimits()
        limits.maxBodyBytes = 50_000
        guard case .failure(let e) = HTTPClient(limits: limits).fetch(FetchRequest(url: server.baseURL + "/big")) else {
            return XCTFail("a body over the limit was accepted")
        }
        XCTAssertEqual(e.kind, .tooLarge)
        XCTAssertTrue(e.description.contains(server.baseURL))
    }

    func testSlowDripIsCutOff() throws {
        let server = try TestHTTPServer { _ in
            var r = TestResponse(status: 200, body: Data(repeating: 66, count: 1000))
            r.dripBytes = 1
            r.dripInterval = 0.5
            return r
        }
        var limits = FetchLimits()
        limits.lowSpeedBytesPerSecond = 100
        limits.lowSpeedSeconds = 1
        let started = Date()
        guard case .failure(let e) = HTTPClient(limits: limits).fetch(FetchRequest(url: server.baseURL + "/slow"))
        else {
            return XCTFail("a slow-loris body was accepted")
        }
        XCTAssertEqual(e.kind, .timeout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testRefusedConnectionNamesTheAddress() {
        let url = "http://127.0.0.1:\(closedLocalPort())/feed.xml"
        guard case .failure(let e) = HTTPClient().fetch(FetchRequest(url: url)) else {
            return XCTFail("no server, yet an answer")
        }
        XCTAssertTrue(e.description.hasPrefix(url), e.description)
    }

    func testManyTransfersAtOnceKeepTheirOrder() throws {
        let server = try TestHTTPServer { r in .text("page \(r.path)") }
        let requests = (0..<40).map { FetchRequest(url: server.baseURL + "/p\($0)") }
        let results = HTTPClient().fetchAll(requests)
        for (i, r) in results.enumerated() {
            XCTAssertEqual(String(decoding: try r.get().body, as: UTF8.self), "page /p\(i)")
        }
    }

    /// The streaming form: results arrive as transfers finish; a consumer that is full holds back new transfers
    /// (never those in flight), and `.stop` starts no more and says which requests were never started.
    func testStreamingFetchFollowsTheConsumer() throws {
        let (server, arrivals) = try Self.recordingServer { "page \($0)" }
        var limits = FetchLimits()
        limits.maxConcurrent = 2
        let client = HTTPClient(limits: limits)
        let requests = (0..<12).map { FetchRequest(url: server.baseURL + "/s\($0)") }
        var delivered: [Int] = []
        var waits = 0
        var admitted = 0
        var waitedAt = 0
        let neverStarted = client.fetchEach(
            requests,
            admit: {
                // Full once after every third response; no more after nine.
                if admitted >= 9 { return .stop }
                if delivered.count > 0 && delivered.count % 3 == 0 && waitedAt != delivered.count {
                    waitedAt = delivered.count
                    waits += 1
                    return .wait
                }
                admitted += 1
                return .go
            },
            deliver: { index, result in
                XCTAssertEqual(String(decoding: (try? result.get().body) ?? Data(), as: UTF8.self), "page /s\(index)")
                delivered.append(index)
            })
        XCTAssertEqual(delivered.count, 9, "every admitted transfer is delivered")
        XCTAssertEqual(Set(delivered + neverStarted), Set(0..<12))
        XCTAssertEqual(neverStarted.count, 3)
        XCTAssertEqual(arrivals.all.count, 9, "the server never saw the refused requests")
        XCTAssertGreaterThan(waits, 0)
    }

    func testFilesOnlyWhenAllowed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString).xml")
        try "<rss/>".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try HTTPClient().fetch(FetchRequest(url: file.absoluteString)).get().status, 200)
        var limits = FetchLimits()
        limits.allowFiles = false
        guard case .failure(let e) = HTTPClient(limits: limits).fetch(FetchRequest(url: file.absoluteString)) else {
            return XCTFail("file read though files are not allowed")
        }
        XCTAssertEqual(e.kind, .invalidURL)
    }

    /// A body that would be 1 GB is cut at the limit with an error naming the address, quickly and without
    /// holding more than the limit.
    func testGigabyteStreamIsCutAtTheLimit() throws {
        let server = try TestHTTPServer { _ in
            var r = TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")])
            r.generatedBytes = 1 << 30
            return r
        }
        var limits = FetchLimits()
        limits.maxBodyBytes = 4 << 20
        let started = Date()
        guard case .failure(let e) = HTTPClient(limits: limits).fetch(FetchRequest(url: server.baseURL + "/huge.xml"))
        else {
            return XCTFail("a 1 GB body was accepted")
        }
        XCTAssertEqual(e.kind, .tooLarge)
        XCTAssertTrue(e.description.contains("/huge.xml"), e.description)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }
}
