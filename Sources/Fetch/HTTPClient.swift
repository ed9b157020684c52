import CCurl
import Foundation

/// A request for one document.
public struct FetchRequest: Sendable, Equatable {
    /// The address (http, https or file).
    public var url: String
    /// ETag from the last fetch, sent as If-None-Match.
    public var etag: String?
    /// Last-Modified from the last fetch, sent as If-Modified-Since.
    public var lastModified: String?

    /// Makes a request.
    public init(url: String, etag: String? = nil, lastModified: String? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// Bounds on every transfer; all configurable.
public struct FetchLimits: Sendable, Equatable {
    /// Seconds to establish a connection.
    public var connectTimeout: Double = 10
    /// Seconds for the whole transfer.
    public var totalTimeout: Double = 60
    /// A transfer slower than this many bytes per second …
    public var lowSpeedBytesPerSecond: Int = 64
    /// … for this many seconds is aborted (slow-loris).
    public var lowSpeedSeconds: Int = 20
    /// Largest body accepted, after decompression.
    public var maxBodyBytes: Int = 16 << 20
    /// Largest header block accepted.
    public var maxHeaderBytes: Int = 64 << 10
    /// Most redirects followed.
    public var maxRedirects: Int = 5
    /// Whether TLS certificates are checked.
    public var verifyTLS: Bool = true
    /// Whether file:// addresses may be read (for local feeds given by the operator).
    public var allowFiles: Bool = true
    /// An extra CA bundle, if any.
    public var caFile: String?
    /// Most transfers in flight at once.
    public var maxConcurrent: Int = 32
    /// Most connections to one host at once.
    public var maxPerHost: Int = 2
    /// Least seconds between the starts of two transfers to one host (0: no spacing).
    public var hostSpacing: Double = 0

    /// Default limits.
    public init() {}
}

/// One redirect hop.
public struct Redirect: Sendable, Equatable {
    /// The 3xx status.
    public var status: Int
    /// Where it pointed.
    public var location: String
}

/// A completed HTTP exchange (any status).
public struct FetchResponse: Sendable {
    /// The address asked for.
    public var requestedURL: String
    /// The address finally answered, after redirects.
    public var finalURL: String
    /// HTTP status (200 for a file that was read).
    public var status: Int
    /// Headers of the final response, names in lower case.
    public var headers: [String: String]
    /// The body, decoded (gzip, deflate, brotli, zstd).
    public var body: Data
    /// The redirects followed, in order.
    public var redirects: [Redirect]
    /// Seconds the transfer took.
    public var seconds: Double

    /// The Content-Type header.
    public var contentType: String? { headers["content-type"] }
    /// The charset parameter of the Content-Type.
    public var charset: String? { contentType.flatMap(FetchResponse.charset(ofContentType:)) }

    /// The charset parameter of a Content-Type value (`text/xml; charset="koi8-r"` → `koi8-r`).
    public static func charset(ofContentType ct: String) -> String? {
        guard let r = ct.range(of: "charset=", options: .caseInsensitive) else { return nil }
        return ct[r.upperBound...].split(separator: ";").first.map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        }.flatMap { $0.isEmpty ? nil : $0 }
    }
    /// The new permanent address, when every hop was a permanent redirect (301/308).
    public var permanentRedirect: String? {
        guard !redirects.isEmpty, redirects.allSatisfy({ $0.status == 301 || $0.status == 308 }),
            finalURL != requestedURL
        else { return nil }
        return finalURL
    }
}

/// Why a transfer produced no response.
public struct FetchError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public enum Kind: Sendable, Equatable {
        case transport, tooLarge, headersTooLarge, invalidURL, timeout, tls, tooManyRedirects
        /// Not fetched, or stopped half-way, because the caller gave up on it (`fetchEach`'s `abandon`).
        case abandoned
    }
    /// The address.
    public var url: String
    /// The kind.
    public var kind: Kind
    /// libcurl's or our message.
    public var message: String
    /// A one-line description naming the address.
    public var description: String { "\(url): \(message)" }
}

/// The HTTP client: libcurl's multi interface, many transfers on one thread, every byte bounded.
public struct HTTPClient: Sendable {
    /// The limits in force.
    public let limits: FetchLimits
    /// The User-Agent sent.
    public let userAgent: String

    /// Why libcurl cannot be used in this process, or nil when it is ready (it is opened on first use).
    private static let unavailable: String? = { tidings_curl_global_init().map { String(cString: $0) } }()

    /// Makes a client.
    public init(limits: FetchLimits = FetchLimits(), userAgent: String = "tidings/0.1 (+https://github.com/tidings)") {
        self.limits = limits
        self.userAgent = userAgent
    }

    /// Fetches one document.
    public func fetch(_ request: FetchRequest) -> Result<FetchResponse, FetchError> {
        fetchAll([request])[0]
    }

    /// Fetches every request, up to `limits.maxConcurrent` at once, and returns the results in request order;
    /// `progress` is called as each transfer finishes.
    public func fetchAll(
        _ requests: [FetchRequest], progress: () -> Void = {}, abandon: () -> Bool = { false }
    )
        -> [Result<FetchResponse, FetchError>]
    {
        var results = [Result<FetchResponse, FetchError>?](repeating: nil, count: requests.count)
        fetchEach(
            requests, admit: { abandon() ? .stop : .go }, abandon: abandon,
            deliver: { index, result in
                results[index] = result
                progress()
            })
        return results.enumerated().map { i, r in
            r
                ?? .failure(
                    FetchError(
                        url: requests[i].url, kind: .abandoned, message: "not fetched: given up before it started"))
        }
    }

    /// Whether a streaming fetch may start another transfer.
    public enum Admission: Sendable { case go, wait, stop }

    /// Fetches the requests, up to `limits.maxConcurrent` at once, handing each result to `deliver` (with its
    /// request's index) as soon as it is complete. A new transfer starts only when `admit()` says `.go`: a
    /// consumer that falls behind holds back new transfers (`.wait`), never the ones in flight; `.stop` starts
    /// no more. Returns once every started transfer is delivered; the indices never started are returned.
    /// `abandon`, asked between rounds of the transfer loop, ends every transfer in flight at once (each delivered
    /// as `.abandoned`) and starts no more: a stop or a deadline then takes effect within a fraction of a second,
    /// not when the slowest transfer times out.
    @discardableResult
    public func fetchEach(
        _ requests: [FetchRequest], admit: () -> Admission = { .go }, abandon: () -> Bool = { false },
        deliver: (Int, Result<FetchResponse, FetchError>) -> Void
    ) -> [Int] {
        if let reason = HTTPClient.unavailable {
            for (i, r) in requests.enumerated() {
                deliver(i, .failure(FetchError(url: r.url, kind: .transport, message: reason)))
            }
            return []
        }
        guard let multi = tidings_multi_new(max(1, limits.maxPerHost), max(1, limits.maxConcurrent)) else {
            for (i, r) in requests.enumerated() {
                deliver(i, .failure(FetchError(url: r.url, kind: .transport, message: "libcurl could not start")))
            }
            return []
        }
        defer { tidings_multi_free(multi) }
        // Requests wait their turn in order, except that one whose host was contacted less than `hostSpacing`
        // ago lets the next one go first.
        var pending = Array(requests.indices)
        var lastStart: [String: Double] = [:]
        var inFlight = 0
        var running: [Int: UnsafeMutablePointer<tidings_transfer>] = [:]
        var busy: [String: Int] = [:]
        var hostOf: [Int: String] = [:]
        var stopped = false
        while (!pending.isEmpty && !stopped) || inFlight > 0 {
            if inFlight > 0, abandon() {
                for (index, t) in running.sorted(by: { $0.key < $1.key }) {
                    tidings_multi_remove(multi, t)
                    tidings_transfer_free(t)
                    deliver(
                        index,
                        .failure(FetchError(url: requests[index].url, kind: .abandoned, message: "given up half-way")))
                }
                running = [:]
                inFlight = 0
                stopped = true
                break
            }
            var i = 0
            var earliest = Double.infinity
            let now = Date().timeIntervalSinceReferenceDate
            var held = false
            while inFlight < max(1, limits.maxConcurrent), i < pending.count {
                let admission = admit()
                if admission == .stop {
                    stopped = true
                    break
                }
                if admission == .wait {
                    held = true
                    break
                }
                let index = pending[i]
                let host = HTTPClient.host(requests[index].url)
                if let host, limits.hostSpacing > 0, let last = lastStart[host], now - last < limits.hostSpacing {
                    earliest = min(earliest, last + limits.hostSpacing)
                    i += 1
                    continue
                }
                // A host already at its connection limit lets the next request go first: its transfers would
                // only queue inside libcurl while holding this loop's slots, and one slow host would stall all.
                if let host, (busy[host] ?? 0) >= max(1, limits.maxPerHost) {
                    i += 1
                    continue
                }
                pending.remove(at: i)
                if let host {
                    lastStart[host] = now
                    busy[host, default: 0] += 1
                    hostOf[index] = host
                }
                switch start(requests[index], id: index) {
                case .success(let t):
                    if tidings_multi_add(multi, t) == CURLM_OK {
                        inFlight += 1
                        running[index] = t
                    } else {
                        tidings_transfer_free(t)
                        deliver(
                            index,
                            .failure(
                                FetchError(
                                    url: requests[index].url, kind: .transport, message: "libcurl refused the transfer")
                            ))
                    }
                case .failure(let e):
                    deliver(index, .failure(e))
                }
            }
            if inFlight == 0 {
                if stopped { break }
                if held {
                    // The consumer is full and nothing is in flight: ask again shortly.
                    Thread.sleep(forTimeInterval: 0.005)
                    continue
                }
                if earliest.isFinite {
                    Thread.sleep(forTimeInterval: max(0.001, earliest - Date().timeIntervalSinceReferenceDate))
                }
                continue
            }
            let wait =
                earliest.isFinite
                ? Int32(max(1, min(200, (earliest - Date().timeIntervalSinceReferenceDate) * 1000))) : 200
            if tidings_multi_run(multi, held ? min(wait, 20) : wait) < 0 { break }
            var code = CURLE_OK
            while let t = tidings_multi_next_done(multi, &code) {
                inFlight -= 1
                let index = t.pointee.id
                running[index] = nil
                if let host = hostOf.removeValue(forKey: index) { busy[host, default: 1] -= 1 }
                deliver(index, finish(t, code: code, request: requests[index]))
                tidings_transfer_free(t)
            }
        }
        return pending
    }

    /// The host a spacing applies to (lower case), nil for files.
    static func host(_ url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return nil }
        return c.host?.lowercased()
    }

    private func start(_ r: FetchRequest, id: Int) -> Result<UnsafeMutablePointer<tidings_transfer>, FetchError> {
        let lower = r.url.lowercased()
        let isFile = lower.hasPrefix("file:")
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || (isFile && limits.allowFiles) else {
            return .failure(
                FetchError(
                    url: r.url, kind: .invalidURL,
                    message: "unsupported address (only http, https\(limits.allowFiles ? " and file" : ""))"))
        }
        let protocols = limits.allowFiles ? "http,https,file" : "http,https"
        let transfer: UnsafeMutablePointer<tidings_transfer>? = userAgent.withCString { ua in
            protocols.withCString { protos in
                "http,https".withCString { redir in
                    (limits.caFile ?? "").withCString { ca in
                        var o = tidings_options(
                            connect_timeout_ms: Int(limits.connectTimeout * 1000),
                            timeout_ms: Int(limits.totalTimeout * 1000),
                            low_speed_limit: limits.lowSpeedBytesPerSecond, low_speed_time: limits.lowSpeedSeconds,
                            max_body: limits.maxBodyBytes, max_headers: limits.maxHeaderBytes,
                            max_redirects: limits.maxRedirects,
                            user_agent: ua, protocols: protos, redir_protocols: redir,
                            verify_tls: limits.verifyTLS ? 1 : 0,
                            ca_file: limits.caFile == nil ? nil : ca)
                        return tidings_transfer_new(r.url, &o, id)
                    }
                }
            }
        }
        guard let t = transfer else {
            return .failure(FetchError(url: r.url, kind: .transport, message: "libcurl could not make a transfer"))
        }
        if !isFile {
            if let etag = r.etag { _ = tidings_transfer_add_header(t, "If-None-Match: \(etag)") }
            if let lm = r.lastModified { _ = tidings_transfer_add_header(t, "If-Modified-Since: \(lm)") }
        }
        return .success(t)
    }

    private func finish(
        _ t: UnsafeMutablePointer<tidings_transfer>, code: CURLcode, request: FetchRequest
    ) -> Result<FetchResponse, FetchError> {
        let url = request.url
        if t.pointee.body_too_large != 0 || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(
                FetchError(
                    url: url, kind: .tooLarge,
                    message: "body larger than \(limits.maxBodyBytes) bytes (after decompression)"))
        }
        if t.pointee.headers_too_large != 0 {
            return .failure(
                FetchError(
                    url: url, kind: .headersTooLarge, message: "headers larger than \(limits.maxHeaderBytes) bytes"))
        }
        if code != CURLE_OK {
            let detail = String(
                cString: withUnsafePointer(to: &t.pointee.error) {
                    UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)
                })
            let message = detail.isEmpty ? String(cString: tidings_curl_strerror(code)) : detail
            let kind: FetchError.Kind
            switch code {
            case CURLE_OPERATION_TIMEDOUT: kind = .timeout
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
                CURLE_SSL_CACERT_BADFILE:
                kind = .tls
            case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
            default: kind = .transport
            }
            return .failure(FetchError(url: url, kind: kind, message: message))
        }
        var status = tidings_transfer_status(t)
        if status == 0 { status = 200 }  // file://
        let headerText =
            t.pointee.headers.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: t.pointee.headers_len), as: UTF8.self)
            } ?? ""
        let (headers, redirects) = HTTPClient.parseHeaders(headerText)
        let body = t.pointee.body.map { Data(bytes: $0, count: t.pointee.body_len) } ?? Data()
        let final = tidings_transfer_effective_url(t).map { String(cString: $0) } ?? url
        return .success(
            FetchResponse(
                requestedURL: url, finalURL: final, status: status, headers: headers, body: body,
                redirects: redirects, seconds: tidings_transfer_seconds(t)))
    }

    /// Splits the raw header text of all responses into the final response's headers and the redirect hops.
    static func parseHeaders(_ text: String) -> ([String: String], [Redirect]) {
        var responses: [(Int, [String: String])] = []
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if line.hasPrefix("HTTP/") {
                let parts = line.split(separator: " ")
                responses.append((parts.count > 1 ? Int(parts[1]) ?? 0 : 0, [:]))
            } else if let colon = line.firstIndex(of: ":"), !responses.isEmpty {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                responses[responses.count - 1].1[name] = value
            }
        }
        // Interim 1xx responses are not redirects.
        let real = responses.filter { $0.0 >= 200 || $0.0 == 0 }
        let redirects = real.dropLast().compactMap { r -> Redirect? in
            guard (300..<400).contains(r.0), let loc = r.1["location"] else { return nil }
            return Redirect(status: r.0, location: loc)
        }
        return (real.last?.1 ?? [:], redirects)
    }
}
