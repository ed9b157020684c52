import Foundation
import Service
import Store
import TestSupport
import XCTest

/// Pages that are no text at all are not articles.
final class NonTextPageTests: XCTestCase {
    /// A PDF served as HTML, a JPEG served as what it is and random bytes served as HTML were stored as garbage text
    /// with a garbage title and no log line: each entry is now stored with its own text and title.
    func testPDFPicturesAndRandomBytesAreNotArticles() throws {
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15  // seeded: the same bytes every run
        let random = Data(
            (0..<4096).map { _ -> UInt8 in
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(rng >> 56)
            })
        let bodies: [String: (String, Data)] = [
            "/doc.pdf": (
                "text/html",
                Data("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj << /Type /Catalog >> endobj\nstream\n".utf8) + random
            ),
            "/photo.jpg": ("image/jpeg", Data([0xFF, 0xD8, 0xFF, 0xE0]) + random),
            "/noise.html": ("text/html", random),
        ]
        let base = Shared<String>("")
        let server = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                let items = ["doc.pdf", "photo.jpg", "noise.html"].map { name in
                    "<item><guid>\(name)</guid><title>Report \(name)</title><link>\(base.value)/\(name)</link>"
                        + "<description>The summary of \(name), which the feed gives.</description></item>"
                }.joined()
                return .rss("Binary", items: items)
            }
            guard let (type, body) = bodies[r.path] else { return TestResponse(status: 404) }
            return TestResponse(status: 200, headers: [("Content-Type", type)], body: body)
        }
        base.set(server.baseURL)
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (pipeline, store) = try makePipeline([server.baseURL + "/feed.xml"], db: db)
        XCTAssertEqual(pipeline.runCycle().newArticles, 3)
        let articles = try store.articles(filter: ArticleFilter(), withText: true)
        XCTAssertEqual(articles.count, 3)
        for a in articles {
            let name = try XCTUnwrap(a.url?.split(separator: "/").last.map(String.init))
            XCTAssertEqual(a.title, "Report \(name)")
            XCTAssertEqual(a.text, "The summary of \(name), which the feed gives.")
        }
    }

    /// A picture post's page gives only its headline, date and byline: the entry's summary, where the feed gives
    /// one, says more and is stored; without one, the page's lines are.
    func testAPicturePostIsStoredWithTheEntrysSummary() throws {
        let page = """
            <html><head><title>Night ferries in the fog</title></head><body>
            <div id="nav"><a href="/">Home</a> <a href="/about">About</a></div>
            <div class="post"><h3 class="post-title"><a href="/p">Night ferries in the fog</a></h3>
            <p>by Ines Alder</p><p><img src="/ferries.jpg" alt=""></p></div>
            </body></html>
            """
        let base = Shared<String>("")
        let server = try TestHTTPServer { r in
            switch r.path {
            case "/feed.xml":
                return .rss(
                    "Pictures",
                    items: "<item><guid>a</guid><title>Night ferries</title><link>\(base.value)/a</link>"
                        + "<description>Three ferries wait out the fog at the pier.</description></item>"
                        + "<item><guid>b</guid><title>Night ferries, again</title><link>\(base.value)/b</link></item>")
            case "/a", "/b":
                return TestResponse(status: 200, headers: [("Content-Type", "text/html")], body: Data(page.utf8))
            default:
                return TestResponse(status: 404)
            }
        }
        base.set(server.baseURL)
        let db = temporaryDirectory().appendingPathComponent("p.db").path
        let (pipeline, store) = try makePipeline([server.baseURL + "/feed.xml"], db: db)
        XCTAssertEqual(pipeline.runCycle().newArticles, 2)
        let articles = try store.articles(filter: ArticleFilter(), withText: true)
        let text = Dictionary(
            uniqueKeysWithValues: articles.map { ($0.url?.split(separator: "/").last ?? "", $0.text) })
        XCTAssertEqual(text["a"], "Three ferries wait out the fog at the pier.")
        XCTAssertEqual(text["b"], "Night ferries in the fog\nby Ines Alder")
    }
}
