import Foundation
import Service
import Store
import TestSupport
import XCTest

/// A page that showed only a consent wall is not stored as the article.
final class WallPageTests: XCTestCase {
    func testAConsentWallIsNotTheArticle() throws {
        let wall = """
            <html><body><div class="dialog"><h2>We value your privacy</h2><p>We and our partners store and access \
            information on your device, such as cookies, and process personal data for personalised ads and content. \
            You may accept all, reject all, or manage preferences.</p><p><a href="#">Accept all</a></p></div>
            </body></html>
            """
        let base = Shared<String>("")
        let server = try TestHTTPServer { r in
            if r.path == "/feed.xml" {
                let item =
                    "<item><guid>w</guid><title>Harbour works finish early</title><link>\(base.value)/story.html</link>"
                    + "<description>The dredging of the channel ends in May, the harbour authority said.</description></item>"
                return .rss("Harbour", items: item)
            }
            return .text(wall, type: "text/html; charset=utf-8")
        }
        base.set(server.baseURL)
        let db = temporaryDirectory().appendingPathComponent("wall.db").path
        let (pipeline, store) = try makePipeline([server.baseURL + "/feed.xml"], db: db)
        XCTAssertEqual(pipeline.runCycle().newArticles, 1)
        let a = try XCTUnwrap(try store.articles(filter: ArticleFilter(), withText: true).first)
        XCTAssertEqual(a.title, "Harbour works finish early")
        XCTAssertEqual(a.text, "The dredging of the channel ends in May, the harbour authority said.")
    }
}
