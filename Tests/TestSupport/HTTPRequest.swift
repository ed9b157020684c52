import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A response as it came off the socket.
public struct HTTPReply: Sendable {
    /// Status code (0 when no response came).
    public var status: Int
    /// Header fields, names in lower case.
    public var headers: [String: String]
    /// The body, as text.
    public var body: String

    /// A reply.
    public init(status: Int, headers: [String: String], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` over a plain socket and reads the whole response (the
/// connection is closed after it). Written by hand so a test controls every byte (methods, huge targets, bad
/// escapes) and sees every status as it is, redirects included. Every wait has a deadline of `timeout` seconds.
public func httpRequest(
    port: Int, _ method: String, _ target: String, headers: [String: String] = [:], body: String = "",
    timeout: Double = 10
) -> HTTPReply {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard s >= 0 else { return HTTPReply(status: 0, headers: [:], body: "") }
    defer { close(s) }
    var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { return HTTPReply(status: 0, headers: [:], body: "") }
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.utf8.count)\r\n" }
    let request = Array((head + "\r\n" + body).utf8)
    var sent = 0
    while sent < request.count {
        let n = request[sent...].withUnsafeBytes { send(s, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { break }
        sent += n
    }
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        let n = recv(s, &buffer, buffer.count, 0)
        if n <= 0 { break }
        data += buffer[0..<n]
    }
    let text = String(decoding: data, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { return HTTPReply(status: 0, headers: [:], body: text) }
    let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPReply(status: status, headers: fields, body: String(text[split.upperBound...]))
}

/// A GET of `target`.
public func httpRequest(port: Int, _ target: String, headers: [String: String] = [:]) -> HTTPReply {
    httpRequest(port: port, "GET", target, headers: headers)
}

/// Polls `until` every 0.1 s for at most `deadline` seconds; true once it holds.
public func eventually(_ deadline: Double = 30, _ until: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(deadline)
    while Date() < end {
        if until() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return until()
}
