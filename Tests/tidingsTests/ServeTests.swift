import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's `$NOTIFY_SOCKET`.
final class NotifySocket {
    let path: String
    let fd: Int32

    init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Messages received until `deadline`, or until `until` is satisfied, each with when it arrived.
    func receiveTimed(for seconds: Double, until done: ([String]) -> Bool) -> [(Date, String)] {
        var messages: [(Date, String)] = []
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < end, !done(messages.map(\.1)) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { messages.append((Date(), String(decoding: buffer[0..<n], as: UTF8.self))) }
        }
        return messages
    }

    /// Messages received until `deadline`, or until `until` is satisfied.
    func receive(for seconds: Double, until done: ([String]) -> Bool) -> [String] {
        var messages: [String] = []
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < end, !done(messages) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { messages.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
        }
        return messages
    }
}

final class ServeTests: XCTestCase {
    /// Starts `tidings serve` as systemd would: notify socket set, a 0.4 s watchdog; stderr captured.
    func startServe(config: URL, notify: NotifySocket, arguments: [String] = []) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = tidingsExecutable()
        process.arguments = ["serve", "--config", config.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "400000"
        process.environment = environment
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        return (process, stderr)
    }

    func articleCount(_ db: String) throws -> Int {
        let r = try runTidings(["stories", "--json", "--db", db])
        guard r.status == 0,
            let stories = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        else { return -1 }
        return stories.reduce(0) { $0 + (($1["articles"] as? [Any])?.count ?? 0) }
    }

    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try condition()
    }

    /// The daemon under a stand-in systemd: READY, WATCHDOG, reload on SIGHUP, a clean stop on SIGTERM.
    func testServeNotifiesReloadsAndStopsCleanly() throws {
        let seeds = repositoryRoot().appendingPathComponent("seeds")
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds.path) {
            files[name] = try Data(contentsOf: seeds.appendingPathComponent(name))
        }
        let frozen = files
        let server = try TestHTTPServer { r in
            // The same seeds under /a/ and /b/: two feeds, /b/ another outlet's with no per-entry sources (one
            // outlet's identical text is one article; another outlet's is its copy).
            let name = String(r.path.split(separator: "/").last ?? "")
            guard var body = frozen[name] else { return TestResponse(status: 404) }
            if r.path.hasPrefix("/b/") && name.hasSuffix(".xml") {
                body = Data(
                    String(decoding: body, as: UTF8.self)
                        .replacingOccurrences(of: "<source[^>]*>[^<]*</source>", with: "", options: .regularExpression)
                        .replacingOccurrences(of: "<title>tidings seeds</title>", with: "<title>tidings mirror</title>")
                        .utf8)
            }
            return TestResponse(
                status: 200,
                headers: [
                    ("Content-Type", name.hasSuffix(".xml") ? "application/rss+xml" : "text/plain; charset=utf-8")
                ], body: body)
        }
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("serve.db").path
        let config = dir.appendingPathComponent("tidings.toml")
        func writeConfig(_ feeds: [String]) throws {
            try
                (["database = \"serve.db\"", "[poll]", "min_interval = \"5m\""]
                + feeds.flatMap { ["[[feed]]", "url = \"\(server.baseURL)/\($0)/feed.xml\""] })
                .joined(separator: "\n").write(to: config, atomically: true, encoding: .utf8)
        }
        try writeConfig(["a"])
        let notify = try NotifySocket(directory: dir)

        let (process, stderr) = try startServe(config: config, notify: notify, arguments: ["--log-level", "notice"])
        defer { if process.isRunning { process.terminate() } }

        let first = notify.receive(for: 20) { m in
            m.contains { $0.contains("READY=1") } && m.contains { $0.contains("WATCHDOG=1") }
        }
        XCTAssertTrue(first.contains { $0.contains("READY=1") }, "\(first)")
        XCTAssertTrue(first.contains { $0.contains("WATCHDOG=1") }, "\(first)")

        // The CLI reads the store while the daemon writes it.
        XCTAssertTrue(try waitFor(30) { try articleCount(db) == 5 }, "the first feed's five articles are stored")

        try writeConfig(["a", "b"])
        kill(process.processIdentifier, SIGHUP)
        XCTAssertTrue(try waitFor(30) { try articleCount(db) == 10 }, "after SIGHUP the added feed is read")

        kill(process.processIdentifier, SIGTERM)
        let stopped = waitFor(15) { !process.isRunning }
        XCTAssertTrue(stopped, "SIGTERM stops the daemon")
        if stopped { XCTAssertEqual(process.terminationStatus, 0) }
        let last = notify.receive(for: 2) { m in m.contains { $0.contains("STOPPING=1") } }
        XCTAssertTrue(last.contains { $0.contains("STOPPING=1") }, "\(last)")
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("configuration reloaded"), log)
        XCTAssertFalse(log.contains("<3>"), "no errors: \(log)")
    }

    /// A cycle stuck on a slow transfer stops feeding the watchdog, so systemd would restart a hung daemon.
    func testWatchdogGoesHungryWhileACycleStalls() throws {
        let feed = try Data(contentsOf: repositoryRoot().appendingPathComponent("seeds/feed.xml"))
        let page = try Data(contentsOf: repositoryRoot().appendingPathComponent("seeds/000_52ffa47a50d1332b.txt"))
        let server = try TestHTTPServer { r in
            if r.path.hasSuffix("feed.xml") {
                return TestResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], body: feed)
            }
            return TestResponse(
                status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: page, delay: 3)
        }
        let dir = temporaryDirectory()
        let config = dir.appendingPathComponent("tidings.toml")
        try "database = \"w.db\"\n[[feed]]\nurl = \"\(server.baseURL)/feed.xml\"\n".write(
            to: config, atomically: true, encoding: .utf8)
        let notify = try NotifySocket(directory: dir)
        let (process, stderr) = try startServe(config: config, notify: notify)
        defer { if process.isRunning { process.terminate() } }
        let messages = notify.receiveTimed(for: 8) { _ in false }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let pings = messages.filter { $0.1.contains("WATCHDOG=1") }.map(\.0)
        XCTAssertGreaterThan(pings.count, 2, "the watchdog is fed while the daemon works or sleeps")
        let longestGap = zip(pings, pings.dropFirst()).map { $1.timeIntervalSince($0) }.max() ?? 0
        XCTAssertGreaterThan(longestGap, 1.5, "no ping while the transfers stall (pings at \(pings))")
        let log = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("not feeding the watchdog"), log)
    }
}
