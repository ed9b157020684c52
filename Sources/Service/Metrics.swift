import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's counters, in the Prometheus text format.
public final class Metrics: Sendable {
    private struct Values {
        var cycles = 0, feeds = 0, feedErrors = 0, notModified = 0, articles = 0, articleErrors = 0, joined = 0
        var lastCycleSeconds = 0.0, lastCycleEnd = 0.0, configuredFeeds = 0
    }
    private let values = Mutex(Values())
    private let started = Date()

    /// Empty counters.
    public init() {}

    /// Adds one finished cycle.
    public func record(_ r: CycleReport, seconds: Double, configuredFeeds: Int) {
        values.withLock { v in
            v.cycles += 1
            v.feeds += r.feeds
            v.feedErrors += r.feedErrors
            v.notModified += r.notModified
            v.articles += r.newArticles
            v.articleErrors += r.articleErrors
            v.joined += r.joinedStories
            v.lastCycleSeconds = seconds
            v.lastCycleEnd = Date().timeIntervalSince1970
            v.configuredFeeds = configuredFeeds
        }
    }

    /// The exposition text (format 0.0.4).
    public func text() -> String {
        let v = values.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("tidings_up", "gauge", "1 while the daemon runs.", "1")
        metric(
            "tidings_start_time_seconds", "gauge", "When the daemon started (Unix time).",
            String(Int(started.timeIntervalSince1970)))
        metric("tidings_feeds_configured", "gauge", "Feeds in the configuration.", String(v.configuredFeeds))
        metric(
            "tidings_cycles_total", "counter", "Polling cycles that ran (with at least one feed due).", String(v.cycles)
        )
        metric("tidings_feed_fetches_total", "counter", "Feed fetches attempted.", String(v.feeds))
        metric(
            "tidings_feed_errors_total", "counter", "Feed fetches that failed (transport, HTTP or parse).",
            String(v.feedErrors))
        metric(
            "tidings_feed_not_modified_total", "counter", "Feed fetches answered 304 Not Modified.",
            String(v.notModified))
        metric("tidings_articles_stored_total", "counter", "Articles stored.", String(v.articles))
        metric(
            "tidings_article_errors_total", "counter", "Articles that could not be had (retried later).",
            String(v.articleErrors))
        metric(
            "tidings_articles_joined_story_total", "counter", "Articles that joined an existing story.",
            String(v.joined))
        metric(
            "tidings_last_cycle_duration_seconds", "gauge", "How long the last cycle took.",
            String(format: "%.3f", v.lastCycleSeconds))
        metric(
            "tidings_last_cycle_end_time_seconds", "gauge", "When the last cycle ended (Unix time).",
            String(Int(v.lastCycleEnd)))
        return out
    }
}

/// A minimal HTTP endpoint serving `GET /metrics` on a local address, on its own thread.
public final class MetricsServer: Sendable {
    /// The port it listens on.
    public let port: Int
    private let fd: Int32

    /// Listens on `address` ("127.0.0.1:9464", "[::1]:9464" or ":9464" for every interface).
    public init(address: String, metrics: Metrics) throws {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw ConfigError(path: "metrics", line: 0, message: "listen address '\(address)' is not HOST:PORT")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let v6 = host.contains(":")
        let s = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var bound: Int32 = -1
        if v6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &a.sin6_addr) == 1 else {
                close(s)
                throw POSIXError(.EINVAL)
            }
            bound = bindSocket(s, to: &a)
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            if host.isEmpty {
                a.sin_addr.s_addr = INADDR_ANY
            } else if inet_pton(AF_INET, host, &a.sin_addr) != 1 {
                close(s)
                throw POSIXError(.EINVAL)
            }
            bound = bindSocket(s, to: &a)
        }
        guard bound == 0, listen(s, 16) == 0 else {
            let e = errno
            close(s)
            throw ConfigError(
                path: "metrics", line: 0, message: "cannot listen on \(address): \(String(cString: strerror(e)))")
        }
        fd = s
        self.port = Int(port)
        let thread = Thread { [fd] in MetricsServer.serve(fd, metrics) }
        thread.start()
    }

    private static func serve(_ fd: Int32, _ metrics: Metrics) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let n = recv(c, &buffer, buffer.count, 0)
            let request = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
            let ok = request.hasPrefix("GET /metrics ") || request.hasPrefix("GET / ")
            let body = ok ? metrics.text() : "not found: try /metrics\n"
            let head =
                "HTTP/1.1 \(ok ? "200 OK" : "404 Not Found")\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            let out = Array((head + body).utf8)
            _ = out.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(c)
        }
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// Binds `socket` to `address`, a `sockaddr_in` or `sockaddr_in6`, passing its size: the one place the address is
/// seen as the generic `sockaddr` bind takes.
private func bindSocket<Address>(_ socket: Int32, to address: inout Address) -> Int32 {
    withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<Address>.size)) }
    }
}
