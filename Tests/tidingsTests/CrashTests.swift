import Foundation
import TestSupport
import XCTest

/// Feeds built from real articles (a sample of ../shared/eval/dedup), each entry linking to a page served slowly
/// enough that ingestion takes a few seconds: long enough to be killed in the middle of it.
final class SlowNewsSite: Sendable {
    let server: TestHTTPServer
    let feedCount: Int

    init(feeds: Int = 28) throws {
        struct Row: Decodable { let id, source, title, text: String }
        let url = Bundle.module.url(forResource: "Fixtures/faults/crash-articles", withExtension: "jsonl")!
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
        let start = Date().addingTimeInterval(-Double(rows.count) * 600)
        var feedsXML = [String](repeating: "", count: feeds)
        var pages: [String: Data] = [:]
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        let rfc822 = DateFormatter()
        rfc822.locale = Locale(identifier: "en_US_POSIX")
        rfc822.timeZone = TimeZone(identifier: "UTC")
        rfc822.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for (i, r) in rows.enumerated() {
            let slug = r.id.replacingOccurrences(of: "/", with: "_")
            feedsXML[i % feeds] +=
                "<item><guid isPermaLink=\"false\">\(escape(r.id))</guid><title>\(escape(r.title))</title>"
                + "<link>/\(i % feeds)/\(slug).txt</link><source url=\"http://\(escape(r.source))/\">\(escape(r.source))</source>"
                + "<pubDate>\(rfc822.string(from: start.addingTimeInterval(Double(i) * 600)))</pubDate></item>\n"
            let paragraphs = r.text.split(separator: ". ").map { $0 + "." }
            pages["/\(i % feeds)/\(slug).txt"] = Data((r.title + "\n\n" + paragraphs.joined(separator: "\n\n")).utf8)
        }
        let documents = feedsXML.enumerated().map { i, items in
            Data(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Feed \(i)</title>\(items)</channel></rss>"
                    .utf8)
        }
        let frozen = pages
        server = try TestHTTPServer { r in
            if r.path.hasPrefix("/feed-"), let n = Int(r.path.dropFirst(6).dropLast(4)), n < documents.count {
                return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: documents[n])
            }
            if let p = frozen[r.path] {
                return TestResponse(
                    status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: p, delay: 0.015)
            }
            return TestResponse(status: 404)
        }
        feedCount = feeds
    }

    /// A configuration over every feed, with a database in `dir`.
    func config(in dir: URL, database: String) throws -> String {
        var s = "database = \"\(database)\"\n[limits]\nmax_concurrent = 4\nmax_per_host = 2\n"
        for i in 0..<feedCount { s += "[[feed]]\nurl = \"\(server.baseURL)/feed-\(i).xml\"\n" }
        let path = dir.appendingPathComponent("\(database).toml")
        try s.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }
}

/// The stories of a store as sets of article URLs, comparable between stores whatever their ids.
func storyPartition(_ db: String) throws -> Set<Set<String>> {
    let out = try runTidings(["stories", "--json", "--limit", "100000", "--db", db])
    let stories = try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]], out.stderr)
    return Set(
        stories.map { s in Set(((s["articles"] as? [[String: Any]]) ?? []).compactMap { $0["url"] as? String }) })
}

final class CrashTests: XCTestCase {
    /// SIGKILL at random moments during ingestion, twenty times: the database stays sound, nothing is stored twice,
    /// and once the run completes the stories are those of a run never interrupted.
    func testKilledTwentyTimesTheStoreEndsAsIfNeverInterrupted() throws {
        let site = try SlowNewsSite()
        let dir = temporaryDirectory("tidings-crash")

        let reference = dir.appendingPathComponent("reference.db").path
        let started = Date()
        let once = try runTidings(["run", "--once", "--config", try site.config(in: dir, database: "reference.db")])
        let duration = Date().timeIntervalSince(started)
        print("uninterrupted run: \(String(format: "%.2f", duration)) s")
        XCTAssertEqual(once.status, 0, once.stderr)
        let expected = try storyPartition(reference)
        let articles = expected.reduce(0) { $0 + $1.count }
        XCTAssertEqual(articles, 140)

        let config = try site.config(in: dir, database: "crashed.db")
        let db = dir.appendingPathComponent("crashed.db").path
        var generator = SeededGenerator(fallback: 20_261_204)
        var killedWhileStoring = 0
        func stored() throws -> Int {
            let stats = try runTidings(["stats", "--json", "--db", db])
            return
                ((try? JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["articles"]
                as? Int) ?? 0
        }
        for round in 0..<20 {
            let before = FileManager.default.fileExists(atPath: db) ? try stored() : 0
            let serve = try startDaemon(config: URL(fileURLWithPath: config))
            if before < articles && round % 2 == 1 {
                // Odd rounds: wait until this run has stored something, then kill it a moment later, mid-ingestion.
                let end = Date().addingTimeInterval(duration * 2)
                while Date() < end, (FileManager.default.fileExists(atPath: db) ? try stored() : 0) == before {
                    Thread.sleep(forTimeInterval: 0.05)
                }
                Thread.sleep(forTimeInterval: Double.random(in: 0...0.3, using: &generator))
            } else {
                // Even rounds: anywhere, start-up and fetching included.
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...max(0.3, duration), using: &generator))
            }
            kill(serve.processIdentifier, SIGKILL)
            serve.waitUntilExit()
            XCTAssertEqual(
                serve.terminationReason, .uncaughtSignal, "round \(round), seed \(generator.seed): killed, not finished"
            )
            let check = try runTidings(["check", "--db", db])
            XCTAssertEqual(check.status, 0, "round \(round), seed \(generator.seed): \(check.stderr)")
            let n = try stored()
            if n > before && n < articles { killedWhileStoring += 1 }
        }
        // Where a kill lands depends on this machine's timing, so it is said, not asserted: what is asserted is
        // that every round leaves a sound store and the end state is the uninterrupted run's.
        print("kills that landed while articles were being stored: \(killedWhileStoring) of 20")

        let finish = try runTidings(["run", "--once", "--config", config])
        XCTAssertEqual(finish.status, 0, finish.stderr)
        XCTAssertEqual(try runTidings(["check", "--db", db]).status, 0)
        let got = try storyPartition(db)
        XCTAssertEqual(got.reduce(0) { $0 + $1.count }, articles, "every article once")
        XCTAssertEqual(got, expected, "the same stories as the uninterrupted run")
    }
}
