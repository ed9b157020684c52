import Fetch
import Foundation
import Stories
import Web

/// One feed in the configuration.
public struct FeedConfig: Sendable, Equatable {
    /// Address: http(s) URL, file URL, or a path (relative to the configuration file).
    public var url: String
    /// Optional display name.
    public var title: String?

    /// Makes a feed entry.
    public init(url: String, title: String? = nil) {
        self.url = url
        self.title = title
    }
}

/// The daemon's configuration, read from a TOML file.
public struct Config: Sendable, Equatable {
    /// The SQLite database file.
    public var database: String
    /// Seconds between polls of one feed, before adaptation.
    public var pollInterval: Double = 1800
    /// Fewest seconds between polls of one feed.
    public var minInterval: Double = 300
    /// Most seconds between polls of one feed.
    public var maxInterval: Double = 86400
    /// Share of the interval added or removed at random so feeds do not fire together.
    public var jitter: Double = 0.1
    /// Transfer limits.
    public var limits = FetchLimits()
    /// Story grouping thresholds.
    public var stories = ClusterSettings()
    /// Feeds.
    public var feeds: [FeedConfig] = []
    /// Where `tidings serve` (and `tidings web`) answer HTTP: the API, the web page and `/metrics`; nil: off.
    public var http: WebSettings?
    /// Days an article is kept after publication (0: forever); the daemon deletes older ones.
    public var keepDays: Double = 0
    /// The file this came from (nil for defaults).
    public var path: String?

    /// Defaults with a database at `database`.
    public init(database: String) {
        self.database = database
    }

    /// Reads and checks the configuration file at `path`. Errors name the file and the line.
    public static func load(path: String) throws -> Config {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            let data = try Data(contentsOf: url)
            guard let s = String(data: data, encoding: .utf8) else {
                throw ConfigError(path: path, line: 0, message: "is not UTF-8 text")
            }
            text = s
        } catch let e as ConfigError {
            throw e
        } catch {
            throw ConfigError(
                path: path, line: 0,
                message:
                    "cannot be read (\(FileManager.default.fileExists(atPath: path) ? "permission denied or unreadable" : "no such file"))"
            )
        }
        return try parse(text, path: path)
    }

    /// Checks configuration text as if read from `path` (which names it in errors and anchors relative paths).
    public static func parse(_ text: String, path: String) throws -> Config {
        let table: TOMLTable
        do { table = try TOML.parse(text) } catch let e as TOMLError {
            throw ConfigError(path: path, line: e.line, message: e.message)
        }
        return try Config(table: table, path: path)
    }

    init(table: TOMLTable, path: String) throws {
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        let r = Reader(path: path)
        try r.allowed(
            table, ["database", "keep_days", "http", "metrics", "poll", "limits", "stories", "feed"], in: nil)
        database = "tidings.db"
        if let v = table["database"] {
            database = Config.resolve(try r.string(v, "database"), base: base)
        } else {
            database = base.appendingPathComponent("tidings.db").path
        }
        self.path = path
        if let v = table["keep_days"] { keepDays = try r.number(v, "keep_days", range: 0...36500) }
        if let v = table["http"] {
            let t = try r.table(v, "http")
            try r.allowed(t, ["listen", "token"], in: "http")
            if let x = t["listen"] {
                var web = WebSettings(listen: try r.string(x, "listen"))
                if let tok = t["token"] { web.token = try r.string(tok, "token") }
                if let problem = web.problem() { throw r.fail(x, "in [http]: \(problem)") }
                http = web
            } else if t["token"] != nil {
                throw r.fail(
                    t["token"]!, "in [http]: token is set but listen is not: set listen = \"127.0.0.1:8080\" to serve")
            }
        }
        // `[metrics] listen` from before the HTTP server: the same server, on that address, when [http] is unset.
        if let v = table["metrics"] {
            let t = try r.table(v, "metrics")
            try r.allowed(t, ["listen"], in: "metrics")
            if let x = t["listen"] {
                let listen = try r.string(x, "listen")
                if let http, http.listen != listen {
                    throw r.fail(
                        x, "in [metrics]: listen differs from [http] listen: /metrics is served there; remove [metrics]"
                    )
                }
                let web = WebSettings(listen: listen)
                if let problem = web.problem() { throw r.fail(x, "in [metrics]: \(problem)") }
                if http == nil { http = web }
            }
        }
        if let v = table["poll"] {
            let t = try r.table(v, "poll")
            try r.allowed(t, ["interval", "min_interval", "max_interval", "jitter"], in: "poll")
            if let x = t["interval"] { pollInterval = try r.duration(x, "interval") }
            if let x = t["min_interval"] { minInterval = try r.duration(x, "min_interval") }
            if let x = t["max_interval"] { maxInterval = try r.duration(x, "max_interval") }
            if let x = t["jitter"] { jitter = try r.number(x, "jitter", range: 0...0.5) }
        }
        if let v = table["limits"] {
            let t = try r.table(v, "limits")
            try r.allowed(
                t,
                [
                    "connect_timeout", "timeout", "low_speed_bytes", "low_speed_time", "max_body_bytes",
                    "max_header_bytes", "max_redirects", "max_concurrent", "max_per_host", "host_spacing", "verify_tls",
                ], in: "limits")
            if let x = t["connect_timeout"] { limits.connectTimeout = try r.duration(x, "connect_timeout") }
            if let x = t["timeout"] { limits.totalTimeout = try r.duration(x, "timeout") }
            if let x = t["low_speed_bytes"] {
                limits.lowSpeedBytesPerSecond = try r.integer(x, "low_speed_bytes", range: 0...Int.max)
            }
            if let x = t["low_speed_time"] { limits.lowSpeedSeconds = Int(try r.duration(x, "low_speed_time")) }
            if let x = t["max_body_bytes"] {
                limits.maxBodyBytes = try r.integer(x, "max_body_bytes", range: 1024...Int.max)
            }
            if let x = t["max_header_bytes"] {
                limits.maxHeaderBytes = try r.integer(x, "max_header_bytes", range: 1024...Int.max)
            }
            if let x = t["max_redirects"] { limits.maxRedirects = try r.integer(x, "max_redirects", range: 0...50) }
            if let x = t["max_concurrent"] {
                limits.maxConcurrent = try r.integer(x, "max_concurrent", range: 1...1024)
            }
            if let x = t["max_per_host"] { limits.maxPerHost = try r.integer(x, "max_per_host", range: 1...64) }
            if let x = t["host_spacing"] { limits.hostSpacing = try r.duration(x, "host_spacing") }
            if let x = t["verify_tls"] { limits.verifyTLS = try r.bool(x, "verify_tls") }
        }
        if let v = table["stories"] {
            let t = try r.table(v, "stories")
            try r.allowed(
                t,
                [
                    "event_threshold", "same_source_threshold", "copy_threshold", "window_hours", "decay_hours",
                    "merge_threshold",
                ], in: "stories")
            if let x = t["event_threshold"] {
                stories.eventThreshold = try r.number(x, "event_threshold", range: 0...1)
            }
            if let x = t["same_source_threshold"] {
                stories.sameSourceThreshold = try r.number(x, "same_source_threshold", range: 0...1)
            }
            if let x = t["copy_threshold"] { stories.copyThreshold = try r.number(x, "copy_threshold", range: 0...1) }
            if let x = t["window_hours"] { stories.windowHours = try r.number(x, "window_hours", range: 1...24 * 365) }
            if let x = t["decay_hours"] { stories.decayHours = try r.number(x, "decay_hours", range: 0...24 * 365) }
            if let x = t["merge_threshold"] {
                stories.mergeThreshold = try r.number(x, "merge_threshold", range: 0...1)
            }
        }
        if let v = table["feed"] {
            guard case .array(let items) = v.kind else {
                throw ConfigError(
                    path: path, line: v.line, message: "'feed' must be written as [[feed]] tables, got \(v.typeName)")
            }
            for item in items {
                let t = try r.table(item, "feed")
                try r.allowed(t, ["url", "title"], in: "feed")
                guard let u = t["url"] else {
                    throw ConfigError(path: path, line: t.line, message: "[[feed]] needs a url = \"…\"")
                }
                let raw = try r.string(u, "url")
                guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ConfigError(path: path, line: u.line, message: "'url' is empty")
                }
                if let problem = Config.addressProblem(raw) {
                    throw ConfigError(path: path, line: u.line, message: "'url' \(problem)")
                }
                feeds.append(
                    FeedConfig(
                        url: Config.feedURL(raw, base: base), title: try t["title"].map { try r.string($0, "title") }))
            }
        }
        if minInterval > maxInterval {
            throw ConfigError(
                path: path, line: table["poll"]?.line ?? 0, message: "min_interval is longer than max_interval")
        }
    }

    /// A path relative to the configuration's folder made absolute.
    static func resolve(_ p: String, base: URL) -> String {
        if p.hasPrefix("/") { return p }
        if p.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { return home + p.dropFirst(1) }
        return base.appendingPathComponent(p).standardizedFileURL.path
    }

    /// A feed address: http(s) URLs with their scheme and host in lower case and no default port (so `HTTP://X/f`
    /// and `http://x:80/f` are one feed, not two storing every article twice), other URLs kept, paths turned into
    /// file URLs relative to the configuration's folder.
    public static func feedURL(_ raw: String, base: URL) -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if let colon = t.firstIndex(of: ":"), t[..<colon].allSatisfy({ $0.isLetter }), t[..<colon].count > 1 {
            let scheme = t[..<colon].lowercased()
            guard scheme == "http" || scheme == "https", var c = URLComponents(string: t), let host = c.host else {
                return t
            }
            c.scheme = scheme
            c.host = host.lowercased()
            if (scheme == "http" && c.port == 80) || (scheme == "https" && c.port == 443) { c.port = nil }
            return c.string ?? t
        }
        return URL(fileURLWithPath: resolve(t, base: base)).absoluteString
    }

    /// What is wrong with `raw` as a feed address, or nil: a feed is an http(s) URL with a host, a file URL, or a
    /// path; nothing else is fetched (no javascript:, gopher:, data:), and no address holds a control character or
    /// white space (a line break in one forged rows of `feeds list`).
    public static func addressProblem(_ raw: String) -> String? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace })
        {
            return "holds a control character or white space: \(t.debugDescription)"
        }
        guard let colon = t.firstIndex(of: ":"), t[..<colon].allSatisfy({ $0.isLetter }), t[..<colon].count > 1 else {
            return nil  // a path
        }
        switch t[..<colon].lowercased() {
        case "http", "https":
            guard let host = URLComponents(string: t)?.host, !host.isEmpty else {
                return "is not an http(s) URL with a host: \(t)"
            }
            return nil
        case "file": return nil
        default: return "has a scheme tidings does not fetch (http, https or file): \(t)"
        }
    }
}

/// A configuration problem: the file, the line and what was expected.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The configuration file.
    public var path: String
    /// 1-based line (0 when it concerns the whole file).
    public var line: Int
    /// What was wrong or expected.
    public var message: String
    /// "FILE:LINE: message".
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}

/// Typed access to TOML values with errors that say what was expected.
struct Reader {
    let path: String

    func fail(_ v: TOMLValue, _ message: String) -> ConfigError {
        ConfigError(path: path, line: v.line, message: message)
    }

    func allowed(_ t: TOMLTable, _ keys: [String], in section: String?) throws {
        for (k, v) in t.entries where !keys.contains(k) {
            let near = keys.min { Reader.distance($0, k) < Reader.distance($1, k) }
            let hint = near.map { Reader.distance($0, k) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
            let place = section.map { "in [\($0)]" } ?? "at the top level"
            throw ConfigError(
                path: path, line: v.line,
                message: "unknown key '\(k)' \(place)\(hint); expected one of: \(keys.joined(separator: ", "))")
        }
    }

    func table(_ v: TOMLValue, _ name: String) throws -> TOMLTable {
        guard case .table(let t) = v.kind else {
            throw fail(v, "'\(name)' must be a table ([\(name)]), got \(v.typeName)")
        }
        return t
    }

    func string(_ v: TOMLValue, _ name: String) throws -> String {
        guard case .string(let s) = v.kind else {
            throw fail(v, "'\(name)' expects a string in quotes, got \(v.typeName)")
        }
        return s
    }

    func bool(_ v: TOMLValue, _ name: String) throws -> Bool {
        guard case .boolean(let b) = v.kind else { throw fail(v, "'\(name)' expects true or false, got \(v.typeName)") }
        return b
    }

    func integer(_ v: TOMLValue, _ name: String, range: ClosedRange<Int>) throws -> Int {
        guard case .integer(let i) = v.kind else {
            throw fail(v, "'\(name)' expects a whole number, got \(v.typeName)")
        }
        guard range.contains(Int(i)) else {
            throw fail(v, "'\(name)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return Int(i)
    }

    func number(_ v: TOMLValue, _ name: String, range: ClosedRange<Double>) throws -> Double {
        let d: Double
        switch v.kind {
        case .integer(let i): d = Double(i)
        case .float(let f): d = f
        default: throw fail(v, "'\(name)' expects a number, got \(v.typeName)")
        }
        guard range.contains(d) else {
            throw fail(v, "'\(name)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return d
    }

    /// The longest duration a setting takes: a year. Larger ones (`1e300`) overflowed into a trap where they were
    /// turned into whole seconds or dates.
    static let longestDuration: Double = 366 * 86400

    /// Seconds, or a string like "90s", "30m", "2h", "1d", between 0 and `longestDuration`.
    func duration(_ v: TOMLValue, _ name: String) throws -> Double {
        let seconds: Double
        switch v.kind {
        case .integer(let i): seconds = Double(i)
        case .float(let f): seconds = f
        case .string(let s):
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
            if let u = s.last, let scale = units[u], let n = Double(s.dropLast()) {
                seconds = n * scale
            } else if let n = Double(s) {
                seconds = n
            } else {
                throw fail(
                    v,
                    "'\(name)' expects a duration such as \"90s\", \"30m\", \"2h\" or a number of seconds, got \"\(s)\""
                )
            }
        default:
            throw fail(v, "'\(name)' expects a duration such as \"30m\" or a number of seconds, got \(v.typeName)")
        }
        guard seconds >= 0, seconds <= Reader.longestDuration else {  // NaN fails both
            throw fail(v, "'\(name)' must be a duration between 0 and 366 days")
        }
        return seconds
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        var row = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] == y[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[y.count]
    }
}
