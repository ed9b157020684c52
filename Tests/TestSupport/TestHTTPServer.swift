import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A request as the test server saw it.
public struct TestRequest: Sendable {
    /// GET, HEAD, …
    public var method: String
    /// Path with query.
    public var path: String
    /// Headers, names in lower case.
    public var headers: [String: String]
}

/// What the test server answers.
public struct TestResponse: Sendable {
    /// HTTP status.
    public var status: Int
    /// Headers to send (Content-Length is added).
    public var headers: [(String, String)]
    /// Body bytes.
    public var body: Data
    /// Seconds to wait before answering.
    public var delay: Double = 0
    /// When set, the body is sent this many bytes at a time with `dripInterval` seconds between pieces.
    public var dripBytes: Int?
    /// Seconds between drip pieces.
    public var dripInterval: Double = 0
    /// When set, the body is this many zero bytes, generated while sending (nothing that large is held).
    public var generatedBytes: Int?
    /// When set, the connection is reset (TCP RST) after this many body bytes.
    public var resetAfterBytes: Int?

    /// Makes a response.
    public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(), delay: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    /// A response with a text body.
    public static func text(
        _ s: String, status: Int = 200, type: String = "text/plain; charset=utf-8",
        headers: [(String, String)] = []
    ) -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", type)] + headers, body: Data(s.utf8))
    }

    /// An RSS 2.0 feed titled `title` whose channel holds `items` (the `<item>` elements, as written).
    public static func rss(_ title: String, items: String) -> TestResponse {
        TestResponse(
            status: 200, headers: [("Content-Type", "application/rss+xml")],
            body: Data("<rss version=\"2.0\"><channel><title>\(title)</title>\(items)</channel></rss>".utf8))
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port), one thread per connection, for tests.
public final class TestHTTPServer: Sendable {
    /// The port it listens on.
    public let port: Int
    private let fd: Int32
    private let handler: @Sendable (TestRequest) -> TestResponse
    private let log = Mutex<[TestRequest]>([])
    private let stopped = Mutex(false)

    /// The base URL, `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received so far.
    public var requests: [TestRequest] { log.withLock { $0 } }

    /// Starts listening; `handler` answers every request.
    public init(handler: @escaping @Sendable (TestRequest) -> TestResponse) throws {
        self.handler = handler
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(s, 128) == 0 else {
            close(s)
            throw POSIXError(.EADDRINUSE)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        fd = s
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    /// Stops accepting connections.
    public func stop() {
        // Once only: a second close would close whatever socket has since been given the same descriptor number
        // (another test's server).
        let first = stopped.withLock { s in
            defer { s = true }
            return !s
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopped.withLock({ $0 }) {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if stopped.withLock({ $0 }) { return }
                continue
            }
            let t = Thread { [self] in self.serve(c) }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        var pending = Data()
        while true {
            // Read one request head.
            let separator = Data("\r\n\r\n".utf8)
            var headEnd = pending.range(of: separator)
            while headEnd == nil {
                let n = recv(c, &buffer, buffer.count, 0)
                if n <= 0 { return }
                pending.append(contentsOf: buffer[0..<n])
                if pending.count > 1 << 20 { return }
                headEnd = pending.range(of: separator)
            }
            guard let end = headEnd else { return }
            let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
            pending.removeSubrange(..<end.upperBound)
            let lines = head.components(separatedBy: "\r\n")
            let parts = lines[0].split(separator: " ")
            guard parts.count >= 2 else { return }
            var headers: [String: String] = [:]
            for l in lines.dropFirst() {
                if let i = l.firstIndex(of: ":") {
                    headers[l[..<i].lowercased()] = l[l.index(after: i)...].trimmingCharacters(in: .whitespaces)
                }
            }
            let request = TestRequest(method: String(parts[0]), path: String(parts[1]), headers: headers)
            log.withLock { $0.append(request) }
            let r = handler(request)
            if r.delay > 0 { Thread.sleep(forTimeInterval: r.delay) }
            var out = "HTTP/1.1 \(r.status) \(TestHTTPServer.reason(r.status))\r\n"
            var hasLength = false
            for (k, v) in r.headers {
                out += "\(k): \(v)\r\n"
                if k.lowercased() == "content-length" { hasLength = true }
            }
            if !hasLength { out += "Content-Length: \(r.generatedBytes ?? r.body.count)\r\n" }
            out += "\r\n"
            guard sendAll(c, Data(out.utf8)) else { return }
            if request.method != "HEAD" {
                if let cut = r.resetAfterBytes {
                    _ = sendAll(c, Data(r.body.prefix(cut)))
                    Thread.sleep(forTimeInterval: 0.05)
                    var hard = linger(l_onoff: 1, l_linger: 0)  // close() now sends RST, not FIN
                    setsockopt(c, SOL_SOCKET, SO_LINGER, &hard, socklen_t(MemoryLayout<linger>.size))
                    return
                }
                if let total = r.generatedBytes {
                    let chunk = Data(repeating: 0x20, count: 1 << 16)
                    var sent = 0
                    while sent < total {
                        guard sendAll(c, chunk) else { return }  // the client hung up: that is the point
                        sent += chunk.count
                    }
                } else if let step = r.dripBytes, step > 0 {
                    var offset = 0
                    while offset < r.body.count {
                        let piece = r.body[offset..<min(offset + step, r.body.count)]
                        guard sendAll(c, Data(piece)) else { return }
                        offset += step
                        Thread.sleep(forTimeInterval: r.dripInterval)
                    }
                } else if !sendAll(c, r.body) {
                    return
                }
            }
            if headers["connection"]?.lowercased() == "close" { return }
        }
    }

    private func sendAll(_ c: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = send(c, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 404: return "Not Found"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
public func closedLocalPort() -> Int {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A fresh temporary folder for one test.
public func temporaryDirectory(_ name: String = "tidings-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
