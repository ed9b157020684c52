import Foundation
import TestSupport
import XCTest

final class DemoTests: XCTestCase {
    func testDemoMakesOneStoryWithFiveSourcesAndCleanText() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("demo.db").path
        let demo = try runTidings(["demo", "--db", db], in: repositoryRoot())
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains(db), "the demo names its database")
        XCTAssertTrue(demo.stdout.contains("5 articles from 5 sources"), demo.stdout)

        let stories = try runTidings(["stories", "--json", "--db", db])
        XCTAssertEqual(stories.status, 0, stories.stderr)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stories.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 1, "the five seed pages are one story")
        let story = try XCTUnwrap(list.first)
        for key in ["id", "title", "updated", "articles"] { XCTAssertNotNil(story[key], key) }
        let articles = try XCTUnwrap(story["articles"] as? [[String: Any]])
        XCTAssertEqual(articles.count, 5)
        XCTAssertEqual(Set(articles.compactMap { $0["source"] as? String }).count, 5)
        for a in articles {
            for key in ["id", "title", "url", "source", "published"] { XCTAssertTrue(a.keys.contains(key), key) }
        }

        let id = try XCTUnwrap(story["id"] as? Int)
        let show = try runTidings(["show", String(id), "--json", "--db", db])
        XCTAssertEqual(show.status, 0, show.stderr)
        let full = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let fullArticles = try XCTUnwrap(full["articles"] as? [[String: Any]])
        for e in try seedExpectations() {
            let a = try XCTUnwrap(fullArticles.first { ($0["url"] as? String)?.hasSuffix(e.file) == true }, e.file)
            XCTAssertEqual(fold(a["title"] as? String ?? ""), fold(e.title), e.file)
            assertCleanBody(a["text"] as? String ?? "", e)
            // The demo's own output carries the same title and body.
            XCTAssertTrue(fold(demo.stdout).contains(fold(e.title)), e.file)
            for bodyLine in e.body.split(separator: "\n") {
                XCTAssertTrue(
                    fold(demo.stdout).contains(fold(String(bodyLine))),
                    "\(e.file): demo output lacks \(bodyLine.prefix(60))")
            }
        }
    }

    func testDemoTwiceAddsNothing() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("twice.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db], in: repositoryRoot()).status, 0)
        let before = try runTidings(["show", "1", "--json", "--db", db]).stdout
        let second = try runTidings(["demo", "--db", db], in: repositoryRoot())
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("0 new articles, 5 already stored"), second.stdout)
        let stories = try runTidings(["stories", "--json", "--db", db]).stdout
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(stories.utf8)) as? [Any])?.count, 1)
        XCTAssertEqual(try runTidings(["show", "1", "--json", "--db", db]).stdout, before)
    }
}
