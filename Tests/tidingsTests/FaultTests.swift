import Foundation
import TestSupport
import XCTest

/// A fixture of the fault suite, from Tests/tidingsTests/Fixtures/faults.
func faultFixture(_ name: String) throws -> Data {
    try Data(contentsOf: Bundle.module.url(forResource: "Fixtures/faults/\(name)", withExtension: nil)!)
}

/// A small RSS document whose entries carry their whole text (no page to fetch).
func inlineFeed(
    _ title: String, _ items: [(title: String, text: String)],
    declaration: String = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
) -> String {
    var s = "\(declaration)\n<rss version=\"2.0\"><channel><title>\(title)</title>\n"
    for (i, item) in items.enumerated() {
        s +=
            "<item><guid isPermaLink=\"false\">\(title)-\(i)</guid><title>\(item.title)</title><description>\(item.text)</description><pubDate>Mon, 16 Nov 2026 0\(i):00:00 GMT</pubDate></item>\n"
    }
    return s + "</channel></rss>\n"
}

/// Runs a shell command and returns its standard output.
func shell(_ command: String) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return data
}

/// An HTTPS server with a self-signed certificate (openssl s_server), which tidings must refuse.
final class SelfSignedTLSServer {
    let port = closedLocalPort()
    private let process = Process()

    init(in dir: URL) throws {
        let key = dir.appendingPathComponent("key.pem").path
        let cert = dir.appendingPathComponent("cert.pem").path
        _ = try shell(
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout \(key) -out \(cert) -days 1 -subj /CN=127.0.0.1 2>/dev/null"
        )
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www", "-quiet",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it listens.
        for _ in 0..<100 {
            if (try? shell("exec 3<>/dev/tcp/127.0.0.1/\(port) && echo up").isEmpty) == false { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit { process.terminate() }
}

final class FaultTests: XCTestCase {
    /// Every kind of hostile feed in one cycle: each gets at most one log line naming it, the run finishes, and every
    /// good feed's entries are stored, once.
    func testHostileFeedsAreOneLineEachAndTheGoodFeedsAreStored() throws {
        let dir = temporaryDirectory("tidings-faults")
        let goodA = try faultFixture("full-text-a.xml")
        let goodB = try faultFixture("full-text-b.xml")
        let seedsFeed = try faultFixture("seeds-feed.xml")
        var pages: [String: Data] = [:]
        for p in [
            "000_52ffa47a50d1332b.txt", "001_daf677524cb6ea17.txt", "002_37583b9e21bd8735.txt",
            "003_e9cc385765b94f2b.txt", "004_765b164ab8e23b0a.txt",
        ] { pages["/seeds/" + p] = try faultFixture(p) }
        let frozenPages = pages

        // Documents that are feeds, but served or written wrongly: their entries should still be read.
        let wrongType = Data(
            inlineFeed("wrongtype", [("Served as HTML", "A feed whose server calls it text/html.")]).utf8)
        var cp1252 = Data(
            inlineFeed(
                "cp1252", [("Caf\u{e9} cr\u{e8}me", "Le caf\u{e9} co\u{fb}te \u{2019}cher\u{2019} \u{e0} Paris.")],
                declaration: "<?xml version=\"1.0\"?>"
            ).utf8)
        cp1252 = "\(String(decoding: cp1252, as: UTF8.self))".data(using: .windowsCP1252)!
        var badUTF8 = Data(
            inlineFeed("badutf8", [("Broken bytes", "Text with a stray byte here: X and more text after it.")]).utf8)
        badUTF8[badUTF8.firstRange(of: Data("X".utf8))!.lowerBound] = 0xFF
        var nul = Data(inlineFeed("nul", [("NUL bytes", "Text with a NUL byte: X inside.")]).utf8)
        nul[nul.firstRange(of: Data("X".utf8))!.lowerBound] = 0
        let external = Data(
            """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>external</title>
            <item><guid>external-1</guid><title>Entity</title><description>before &leak; after</description></item>
            </channel></rss>
            """.utf8)
        // Documents that cannot be read at all.
        let laughs = Data(
            ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">"
                + (1...9).map {
                    "<!ENTITY \(Character(UnicodeScalar(98 + $0 - 1)!)) \""
                        + String(repeating: "&\(Character(UnicodeScalar(97 + $0 - 1)!));", count: 10) + "\">"
                }.joined()
                + "]>\n<rss version=\"2.0\"><channel><title>&j;</title></channel></rss>").utf8)
        let nested = Data(
            ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>deep</title><item><title>deep</title>"
                + String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000)
                + "</item></channel></rss>").utf8)
        let truncatedSource = inlineFeed(
            "truncated",
            [
                ("Kept entry", "The first entry is whole and must be kept."),
                ("Lost entry", "The second entry is cut in the middle of its text"),
            ])
        let truncated = Data(truncatedSource.utf8.prefix(truncatedSource.utf8.count - 60))
        let html = Data(
            "<!DOCTYPE html><html><head><title>A home page</title></head><body><p>Not a feed.</p></body></html>".utf8)
        let bomb = try shell("head -c 67108864 /dev/zero | gzip -c")
        XCTAssertGreaterThan(bomb.count, 10_000)
        let bigHeaders = (0..<64).map { ("X-Padding-\($0)", String(repeating: "p", count: 1000)) }

        let (cp1252Body, badUTF8Body, nulBody) = (cp1252, badUTF8, nul)
        let server = try TestHTTPServer { r in
            let path = r.path
            if path.hasPrefix("/seeds/"), let p = frozenPages[path] {
                return TestResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: p)
            }
            let rss = [("Content-Type", "application/rss+xml")]
            switch path {
            case "/good/a.xml":
                return TestResponse(status: 200, headers: [("Content-Type", "application/atom+xml")], body: goodA)
            case "/good/b.xml": return TestResponse(status: 200, headers: rss, body: goodB)
            case "/seeds/feed.xml": return TestResponse(status: 200, headers: rss, body: seedsFeed)
            case "/wrong-type.xml":
                return TestResponse(
                    status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: wrongType)
            case "/wrong-charset.xml":
                return TestResponse(
                    status: 200, headers: [("Content-Type", "application/rss+xml; charset=utf-8")], body: cp1252Body)
            case "/invalid-utf8.xml": return TestResponse(status: 200, headers: rss, body: badUTF8Body)
            case "/nul.xml": return TestResponse(status: 200, headers: rss, body: nulBody)
            case "/external-entity.xml": return TestResponse(status: 200, headers: rss, body: external)
            case "/html-page.xml":
                return TestResponse(status: 200, headers: [("Content-Type", "text/html")], body: html)
            case "/empty.xml": return TestResponse(status: 200, headers: rss, body: Data())
            case "/truncated.xml": return TestResponse(status: 200, headers: rss, body: truncated)
            case "/billion-laughs.xml": return TestResponse(status: 200, headers: rss, body: laughs)
            case "/nested.xml": return TestResponse(status: 200, headers: rss, body: nested)
            case "/endless.xml":
                var e = TestResponse(status: 200, headers: rss)
                e.generatedBytes = 1 << 40
                return e
            case "/gzip-bomb.xml":
                return TestResponse(status: 200, headers: rss + [("Content-Encoding", "gzip")], body: bomb)
            case "/slow-drip.xml":
                var d = TestResponse(status: 200, headers: rss, body: goodB)
                d.dripBytes = 8
                d.dripInterval = 0.5
                return d
            case "/reset.xml":
                var d = TestResponse(status: 200, headers: rss, body: goodB)
                d.resetAfterBytes = 2000
                return d
            case "/status-500.xml": return TestResponse(status: 500)
            case "/status-502.xml": return TestResponse(status: 502)
            case "/status-503.xml": return TestResponse(status: 503, headers: [("Retry-After", "120")])
            case "/loop-a.xml": return TestResponse(status: 302, headers: [("Location", "/loop-b.xml")])
            case "/loop-b.xml": return TestResponse(status: 302, headers: [("Location", "/loop-a.xml")])
            case "/huge-headers.xml": return TestResponse(status: 200, headers: rss + bigHeaders, body: goodB)
            default: return TestResponse(status: 404)
            }
        }
        let tls = try SelfSignedTLSServer(in: dir)
        let base = server.baseURL
        let good = ["\(base)/good/a.xml", "\(base)/good/b.xml", "\(base)/seeds/feed.xml"]
        let readable = ["wrong-type", "wrong-charset", "invalid-utf8", "nul", "external-entity", "truncated", "nested"]
            .map { "\(base)/\($0).xml" }
        let broken =
            [
                "html-page", "empty", "billion-laughs", "endless", "gzip-bomb", "slow-drip", "reset",
                "status-500", "status-502", "status-503", "loop-a", "huge-headers",
            ].map { "\(base)/\($0).xml" }
            + ["https://127.0.0.1:\(tls.port)/feed.xml"]
        var config = """
            database = "store.db"
            [limits]
            connect_timeout = "3s"
            timeout = "15s"
            low_speed_bytes = 1000
            low_speed_time = "2s"
            max_body_bytes = 1048576
            max_header_bytes = 16384
            max_redirects = 4

            """
        for url in good + readable + broken { config += "[[feed]]\nurl = \"\(url)\"\n" }
        let configPath = dir.appendingPathComponent("tidings.toml")
        try config.write(to: configPath, atomically: true, encoding: .utf8)

        let started = Date()
        let run = try runTidings(["run", "--once", "--config", configPath.path])
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "hostile feeds are bounded in time")
        XCTAssertEqual(run.status, 2, "partial failure: \(run.stdout)\n\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        XCTAssertFalse(lines.contains { $0.hasPrefix("<0>") || $0.hasPrefix("<1>") || $0.hasPrefix("<2>") }, run.stderr)
        func complaints(_ url: String) -> [String] {
            lines.filter { ($0.hasPrefix("<3>") || $0.hasPrefix("<4>")) && $0.contains(url + ":") }
        }
        for url in broken {
            XCTAssertEqual(complaints(url).count, 1, "one clear line for \(url):\n\(run.stderr)")
        }
        for url in readable {
            XCTAssertLessThanOrEqual(complaints(url).count, 1, "at most one line for \(url):\n\(run.stderr)")
        }
        for url in good { XCTAssertEqual(complaints(url), [], url) }

        let db = dir.appendingPathComponent("store.db").path
        let stats = try runTidings(["stats", "--json", "--db", db])
        let counts = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any], stats.stdout)
        // 10 + 10 full-text entries, 5 seed pages, and one entry from each readable-but-wrong document (the nested
        // one's title survives libxml2's depth limit), two from the truncated one (the second cut short).
        XCTAssertEqual(counts["articles"] as? Int, 25 + readable.count + 1, stats.stdout + "\n" + run.stderr)

        // Wrong charset label: the text reads as written, not as mojibake.
        let cafe = try runTidings(["search", "café", "--json", "--db", db])
        XCTAssertTrue(cafe.stdout.contains("Café crème"), cafe.stdout)
        // The external entity was not read.
        let leak = try runTidings(["search", "entity", "--json", "--db", db])
        XCTAssertFalse(leak.stdout.contains("root:"), leak.stdout)

        // A second cycle stores nothing twice.
        let again = try runTidings(["run", "--once", "--config", configPath.path])
        XCTAssertEqual(again.status, 2)
        let after = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(try runTidings(["stats", "--json", "--db", db]).stdout.utf8))
                as? [String: Any])
        XCTAssertEqual(after["articles"] as? Int, counts["articles"] as? Int, again.stderr)
        withExtendedLifetime(tls) {}
    }
}
