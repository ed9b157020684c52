import Foundation
import Service
import Store
import Stories
import TestSupport
import XCTest

final class ConfigTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let path = temporaryDirectory().appendingPathComponent("tidings.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTheShippedConfigurationLoads() throws {
        let c = try Config.load(path: repositoryRoot().appendingPathComponent("config/tidings.toml").path)
        XCTAssertEqual(c.feeds.count, 1)
        XCTAssertTrue(c.feeds[0].url.hasPrefix("file://") && c.feeds[0].url.hasSuffix("seeds/feed.xml"))
        XCTAssertEqual(c.pollInterval, 1800)
        XCTAssertEqual(c.limits.maxBodyBytes, 16_777_216)
        XCTAssertEqual(c.stories.windowHours, 72)
        // The shipped [stories] says what the code's defaults are: a default changed in one place only fails here.
        XCTAssertEqual(c.stories, ClusterSettings())
    }

    func testErrorsNameFileLineAndExpectation() throws {
        let cases: [(String, Int, String)] = [
            ("database = 5\n", 1, "expects a string"),
            ("[poll]\ninterval = \"soon\"\n", 2, "expects a duration"),
            ("[poll]\nintervall = 5\n", 2, "did you mean 'interval'"),
            ("[[feed]]\ntitle = \"no url\"\n", 1, "needs a url"),
            ("[limits]\nmax_redirects = 500\n", 2, "between 0 and 50"),
            ("[poll]\n[poll]\n", 2, "defined twice"),
            ("database = \"a.db\" extra\n", 1, "end of the line"),
            ("when = 2024-06-19\n", 1, "dates are not supported"),
            // Durations are bounded (1e300 trapped with SIGILL, in a reload too).
            ("[limits]\nlow_speed_time = \"1e300d\"\n", 2, "between 0 and 366 days"),
            ("[limits]\ntimeout = 1e300\n", 2, "between 0 and 366 days"),
            ("[poll]\ninterval = 1e308\n", 2, "between 0 and 366 days"),
            ("[poll]\nmax_interval = \"-5m\"\n", 2, "between 0 and 366 days"),
            ("[poll]\nmin_interval = nan\n", 2, "between 0 and 366 days"),
            // Feed addresses: only what tidings fetches, on one line.
            ("[[feed]]\nurl = \"javascript:alert(1)\"\n", 2, "scheme tidings does not fetch"),
            ("[[feed]]\nurl = \"http://a.example/x\\n1\"\n", 2, "control character"),
            ("[[feed]]\nurl = \"https:///nohost\"\n", 2, "with a host"),
            // The web server: an address, and a token wherever other machines can reach it.
            ("[http]\nlisten = \"8080\"\n", 2, "is not HOST:PORT"),
            ("[http]\nlisten = \"0.0.0.0:8080\"\n", 2, "set token"),
            ("[http]\nlisten = \"0.0.0.0:8080\"\ntoken = \"short\"\n", 2, "at least 16 characters"),
            ("[http]\ntoken = \"0123456789abcdef0\"\n", 2, "token is set but listen is not"),
            ("[http]\nlisten = \"127.0.0.1:8080\"\n[metrics]\nlisten = \"127.0.0.1:9464\"\n", 4, "remove [metrics]"),
            ("[http]\nlisten = \"127.0.0.1:8080\"\nport = 5\n", 3, "unknown key 'port' in [http]"),
        ]
        for (text, line, message) in cases {
            let path = try write(text)
            XCTAssertThrowsError(try Config.load(path: path), text) { e in
                let d = "\(e)"
                XCTAssertTrue(d.hasPrefix("\(path):\(line):"), "\(text) → \(d)")
                XCTAssertTrue(d.contains(message), "\(text) → \(d)")
            }
        }
    }

    func testHTTPSettings() throws {
        let local = try Config.load(path: try write("[http]\nlisten = \"127.0.0.1:8080\"\n"))
        XCTAssertEqual(local.http?.listen, "127.0.0.1:8080")
        XCTAssertNil(local.http?.token)
        let open = try Config.load(
            path: try write("[http]\nlisten = \"0.0.0.0:8080\"\ntoken = \"0123456789abcdef0123\"\n"))
        XCTAssertEqual(open.http?.token, "0123456789abcdef0123")
        // The setting from before [http] still serves /metrics, from the same server.
        let legacy = try Config.load(path: try write("[metrics]\nlisten = \"127.0.0.1:9464\"\n"))
        XCTAssertEqual(legacy.http?.listen, "127.0.0.1:9464")
        XCTAssertNil(try Config.load(path: try write("")).http, "off unless set")
    }

    func testTOMLValues() throws {
        let q3 = String(repeating: "\"", count: 3)
        let t = try TOML.parse(
            """
            a = "x\\ty" # comment
            b = 'C:\\raw'
            c = [1, 2,
                 3]
            d = { e = true, f = 1.5 }
            m = \(q3)
            two
            lines\(q3)
            n = '''raw \\n'''
            [[g]]
            h = 1
            [[g]]
            h = 2
            """)
        XCTAssertEqual(t["a"]?.kind, .string("x\ty"))
        XCTAssertEqual(t["b"]?.kind, .string("C:\\raw"))
        guard case .array(let c) = t["c"]?.kind else { return XCTFail() }
        XCTAssertEqual(c.count, 3)
        guard case .table(let d) = t["d"]?.kind else { return XCTFail() }
        XCTAssertEqual(d["f"]?.kind, .float(1.5))
        guard case .array(let g) = t["g"]?.kind else { return XCTFail() }
        XCTAssertEqual(g.count, 2)
        XCTAssertEqual(t["c"]?.line, 3)
        XCTAssertEqual(t["m"]?.kind, .string("two\nlines"))
        XCTAssertEqual(t["n"]?.kind, .string("raw \\n"))
    }
}
