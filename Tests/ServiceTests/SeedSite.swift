import Foundation
import Service
import Store
import TestSupport
import XCTest

func seedFile(_ name: String) throws -> Data {
    try Data(contentsOf: Bundle.module.url(forResource: "Fixtures/seeds/\(name)", withExtension: nil)!)
}

let seedPages = [
    "000_52ffa47a50d1332b.txt", "001_daf677524cb6ea17.txt", "002_37583b9e21bd8735.txt",
    "003_e9cc385765b94f2b.txt", "004_765b164ab8e23b0a.txt",
]

/// Serves the seeds feed and pages over real HTTP; `pageStatus` can make a page fail.
final class SeedSite: Sendable {
    let server: TestHTTPServer
    private let failing: Shared<Set<String>>
    private let feedStatus: Shared<Int>

    init(etag: Bool = true) throws {
        let failing = Shared<Set<String>>([])
        let feedStatus = Shared<Int>(200)
        let feed = try seedFile("feed.xml")
        var pages: [String: Data] = [:]
        for p in seedPages { pages["/" + p] = try seedFile(p) }
        let frozen = pages
        server = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                let status = feedStatus.value
                if status == 301 { return TestResponse(status: 301, headers: [("Location", "/moved/feed.xml")]) }
                if status != 200 { return TestResponse(status: status) }
                if etag && r.headers["if-none-match"] == "\"seeds-1\"" { return TestResponse(status: 304) }
                return TestResponse(
                    status: 200,
                    headers: [("Content-Type", "application/rss+xml")] + (etag ? [("ETag", "\"seeds-1\"")] : []),
                    body: feed)
            }
            if r.path == "/moved/feed.xml" {
                return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: feed)
            }
            if failing.value.contains(r.path) || failing.value.contains("/moved" + r.path) {
                return TestResponse(status: 503)
            }
            let name = "/" + (r.path.split(separator: "/").last.map(String.init) ?? "")
            if let p = frozen[name] {
                return TestResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: p)
            }
            return TestResponse(status: 404)
        }
        self.failing = failing
        self.feedStatus = feedStatus
    }

    func fail(_ page: String?) { failing.set(page.map { ["/" + $0] } ?? []) }
    func setFeedStatus(_ s: Int) { feedStatus.set(s) }
    var feedURL: String { server.baseURL + "/feed.xml" }
}

/// A pipeline over `feeds` on a real database file at `db` (no jitter; `configure` changes anything else).
func makePipeline(
    _ feeds: [String], db: String, configure: (inout Config) -> Void = { _ in }
) throws -> (Pipeline, Store) {
    var config = Config(database: db)
    config.feeds = feeds.map { FeedConfig(url: $0) }
    config.jitter = 0
    configure(&config)
    let store = try Store(path: db)
    return (try Pipeline(config: config, store: store, logger: Logger(level: .error)), store)
}
