import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import Store
import Synchronization

/// Where and how the read-only HTTP server answers (`[http]` of the configuration).
public struct WebSettings: Sendable, Equatable {
    /// "HOST:PORT": "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080"; port 0 takes a free one.
    public var listen: String
    /// The token readers must present, required when `listen` is not a loopback address.
    public var token: String?

    /// Settings.
    public init(listen: String, token: String? = nil) {
        self.listen = listen
        self.token = token
    }

    /// Host and port of `listen`; nil when it is not HOST:PORT.
    public var address: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }

    /// Whether only this machine can reach the address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        guard let host = address?.host.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Shortest token accepted: a token is the only lock on a server others can reach.
    public static let minimumTokenLength = 16

    /// The settings' own errors, in one line each (nil when they are fine).
    public func problem() -> String? {
        guard address != nil else { return "listen = \"\(listen)\" is not HOST:PORT (e.g. \"127.0.0.1:8080\")" }
        if let token, token.count < WebSettings.minimumTokenLength {
            return "token must be at least \(WebSettings.minimumTokenLength) characters"
        }
        // It travels in a header and a cookie: visible ASCII only, none of the characters a cookie cannot hold.
        if let token,
            !token.unicodeScalars.allSatisfy({
                $0.value > 0x20 && $0.value < 0x7F && !";,\"\\".unicodeScalars.contains($0)
            })
        {
            return "token may hold letters, digits and visible ASCII punctuation only (no space, ; , \" or \\)"
        }
        if !isLoopback && token == nil {
            return
                "listen = \"\(listen)\" is reachable from other machines: set token (readers then send it as "
                + "`Authorization: Bearer TOKEN` or sign in once in the browser), or listen on 127.0.0.1"
        }
        return nil
    }
}

/// An error starting the server, in one line.
public struct WebError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
}

/// The read-only HTTP server: the JSON API, the web pages and (under the daemon) the Prometheus metrics, over
/// read-only connections to the store. Runs on its own threads (SwiftNIO's event loops); `start` returns once
/// it listens, `stop` once it has closed.
public final class WebServer: Sendable {
    /// The port it listens on (the one chosen when the settings said 0).
    public let port: Int
    private let task: Task<Void, Never>
    private let finished = DispatchSemaphore(value: 0)

    /// Opens the store and starts listening. `metrics` gives the Prometheus text for `/metrics` (nil: no such
    /// route); `log` receives the server's warnings and errors, one line each.
    public init(
        settings: WebSettings, database: String, metrics: (@Sendable () -> String)? = nil,
        log: @escaping @Sendable (String) -> Void
    ) throws {
        if let problem = settings.problem() { throw WebError(description: "[http] \(problem)") }
        let readers: Readers
        do { readers = try Readers(path: database) } catch { throw WebError(description: "\(error)") }
        let address = settings.address!
        let router = Routes.router(readers: readers, token: settings.token, metrics: metrics, log: log)
        var logger = Logging.Logger(label: "tidings.web") { _ in ForwardingLogHandler(log: log) }
        logger.logLevel = .warning
        // Outcome of binding: the port, or the error.
        let bound = Mutex<Result<Int, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(WebServer.idleSeconds))),
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port), serverName: "tidings"),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? address.port) }
                ready.signal()
            },
            logger: logger
        )
        let finished = self.finished
        task = Task.detached {
            do { try await app.run() } catch {
                let first = bound.withLock { state -> Bool in
                    guard state == nil else { return false }
                    state = .failure(error)
                    return true
                }
                if first { ready.signal() } else { log("web server stopped: \(error)") }
            }
            finished.signal()
        }
        guard ready.wait(timeout: .now() + WebServer.startSeconds) == .success else {
            task.cancel()
            throw WebError(
                description: "cannot listen on \(settings.listen): no answer in \(Int(WebServer.startSeconds)) s")
        }
        switch bound.withLock({ $0 })! {
        case .success(let p): port = p
        case .failure(let e): throw WebError(description: "cannot listen on \(settings.listen): \(e)")
        }
    }

    /// The log line that says where the server answers and whether it asks for the token.
    public static func announcement(_ settings: WebSettings, port: Int, metrics: Bool) -> String {
        let host = settings.address.map { $0.host.contains(":") ? "[\($0.host)]" : $0.host } ?? "?"
        return "web page and API on http://\(host):\(port)/" + (metrics ? " (Prometheus metrics at /metrics)" : "")
            + (settings.token == nil ? "" : "; a token is required (header or sign-in)")
    }

    /// Seconds an idle keep-alive connection is kept.
    static let idleSeconds: Int64 = 30
    /// Seconds to wait for the listening socket.
    static let startSeconds: Double = 10

    /// Stops listening and closes the connections; returns when done (or after 10 s).
    public func stop() {
        task.cancel()
        _ = finished.wait(timeout: .now() + 10)
    }
}

/// Hands the server library's warnings to the daemon's log.
private struct ForwardingLogHandler: LogHandler {
    let log: @Sendable (String) -> Void
    var metadata: Logging.Logger.Metadata = [:]
    var logLevel: Logging.Logger.Level = .warning

    subscript(metadataKey key: String) -> Logging.Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log("web: \(event.message)")
    }
}
