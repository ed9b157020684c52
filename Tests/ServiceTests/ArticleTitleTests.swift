import Foundation
import Service
import Store
import TestSupport
import XCTest

/// Which headline an article is stored under.
final class ArticleTitleTests: XCTestCase {
    /// The feed entry's own title wins over the page's; an entry without one takes the title the page declares,
    /// never the skip link its markup opens with.
    func testTheEntryTitleWinsAndThePageFillsIn() throws {
        func page(_ title: String, _ sentence: String) -> String {
            let paragraph = String(repeating: sentence, count: 6)
            return """
                <html><head><title>\(title) | City News</title></head><body>
                <a href="#main">Skip to main content</a><nav><a href="/">Home</a></nav>
                <article id="main"><h1>\(title)</h1><p>\(paragraph)</p><p>\(paragraph)</p></article></body></html>
                """
        }
        let pages = [
            "/a.html": page(
                "Council votes on the tram", "The council voted on Tuesday to extend the tram line by 2030. "),
            "/b.html": page(
                "Tram line extended to the north", "Work on the northern tram extension starts in the spring. "),
        ]
        let base = Shared<String>("")
        let server = try TestHTTPServer { r in
            switch r.path {
            case "/feed.xml":
                let items =
                    "<item><guid>a</guid><title>Council backs tram plan</title><link>\(base.value)/a.html</link></item>"
                    + "<item><guid>b</guid><link>\(base.value)/b.html</link></item>"
                return .rss("City", items: items)
            default:
                guard let page = pages[r.path] else { return TestResponse(status: 404) }
                return .text(page, type: "text/html; charset=utf-8")
            }
        }
        base.set(server.baseURL)
        let db = temporaryDirectory().appendingPathComponent("t.db").path
        let (pipeline, store) = try makePipeline([server.baseURL + "/feed.xml"], db: db)
        XCTAssertEqual(pipeline.runCycle().newArticles, 2)
        let titles = Dictionary(
            uniqueKeysWithValues: try store.articles(filter: ArticleFilter(), withText: false).map {
                ($0.url?.split(separator: "/").last.map(String.init) ?? "", $0.title)
            })
        XCTAssertEqual(titles["a.html"], "Council backs tram plan")
        XCTAssertEqual(titles["b.html"], "Tram line extended to the north")
    }
}
