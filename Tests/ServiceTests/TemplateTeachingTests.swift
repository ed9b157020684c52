import Foundation
import Service
import Store
import TestSupport
import XCTest

/// What a site's template memory may learn from.
final class TemplateTeachingTests: XCTestCase {
    /// Another feed linking three times to a site's page (`story.html?v=1`, `?v=2`, `?v=3`) taught that site's
    /// memory that the page's own paragraphs were template, and the site's own entry for the page was stored with
    /// 13 characters. One page teaches once, however many addresses lead to it.
    func testAnotherFeedCannotTeachASiteItsOwnArticle() throws {
        let paragraph = String(
            repeating: "The harbour authority said on Monday that the dredging of the channel would end in May. ",
            count: 4)
        let page = """
            <html><head><title>Harbour works finish early</title></head><body><nav><a href="/">Home</a></nav>
            <article><h1>Harbour works finish early</h1><p>\(paragraph)</p><p>\(paragraph.uppercased())</p></article>
            </body></html>
            """
        let base = Shared<String>("")
        let server = try TestHTTPServer { r in
            switch r.path.split(separator: "?").first.map(String.init) ?? r.path {
            case "/attacker.xml":
                let items = (1...3).map { n in
                    "<item><guid>a\(n)</guid><title>Look \(n)</title><link>\(base.value)/story.html?v=\(n)</link></item>"
                }.joined()
                return .rss("Other", items: items)
            case "/site.xml":
                let item =
                    "<item><guid>s1</guid><title>Harbour works</title><link>\(base.value)/story.html</link></item>"
                return .rss("Harbour News", items: item)
            case "/story.html":
                return .text(page, type: "text/html; charset=utf-8")
            default:
                return TestResponse(status: 404)
            }
        }
        base.set(server.baseURL)
        let db = temporaryDirectory().appendingPathComponent("teach.db").path
        // The other feed's cycle first, then the site's own feed joins.
        let (pipeline, store) = try makePipeline([server.baseURL + "/attacker.xml"], db: db)
        XCTAssertGreaterThan(pipeline.runCycle().newArticles, 0)
        var config = pipeline.config
        config.feeds.append(FeedConfig(url: server.baseURL + "/site.xml"))
        try pipeline.reload(config)
        _ = pipeline.runCycle()
        let own = try XCTUnwrap(
            try store.articles(filter: ArticleFilter(), withText: true).first { $0.source == "Harbour News" })
        XCTAssertGreaterThan(own.text?.count ?? 0, 600, own.text ?? "")
    }
}
