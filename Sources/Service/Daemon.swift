import Dispatch
import Foundation
import Store
import Synchronization
import Web

#if canImport(Glibc)
import Glibc
#endif

/// Requests that reach the daemon from outside (signals), read by its loop.
final class Lifecycle: Sendable {
    private let state = Mutex<(stop: Bool, reload: Bool)>((false, false))
    private let wake = DispatchSemaphore(value: 0)
    /// When the main loop last showed progress, and whether it is asleep between cycles (which is healthy).
    private let health = Mutex<(lastProgress: Date, sleeping: Bool)>((Date(), false))

    /// Records that work moved forward (a transfer, a feed or an article finished).
    func beat() { health.withLock { $0.lastProgress = Date() } }

    /// True when the loop is asleep or made progress within `interval` seconds: the watchdog may be fed.
    func isHealthy(within interval: Double) -> Bool {
        health.withLock { $0.sleeping || Date().timeIntervalSince($0.lastProgress) < interval }
    }

    var stopRequested: Bool { state.withLock { $0.stop } }

    func requestStop() {
        state.withLock { $0.stop = true }
        wake.signal()
    }
    func requestReload() {
        state.withLock { $0.reload = true }
        wake.signal()
    }

    /// True once per reload request.
    func takeReload() -> Bool {
        state.withLock { s in
            defer { s.reload = false }
            return s.reload
        }
    }

    /// Sleeps until `deadline` or until a signal arrives.
    func sleep(until deadline: Date) {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        health.withLock { $0.sleeping = true }
        _ = wake.wait(timeout: .now() + seconds)
        health.withLock { $0 = (Date(), false) }
    }
}

/// Talks to systemd over `$NOTIFY_SOCKET` (READY=1, STATUS=, WATCHDOG=1, STOPPING=1).
public struct SystemdNotifier: Sendable {
    let socketPath: String?

    /// A notifier for this process's environment (does nothing when not run by systemd).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The watchdog interval systemd asked for, if any.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double?
    {
        guard let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap(Int32.init), pid != getpid() { return nil }
        return usec / 1_000_000
    }

    /// Sends `state` (lines such as "READY=1"); false when there is no socket or sending failed.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let path = socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract socket
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let sent = state.withCString { msg in
            withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, msg, strlen(msg), 0, $0, length) }
            }
        }
        return sent >= 0
    }
}

/// `tidings serve`: cycles on the schedule until SIGTERM or SIGINT; SIGHUP reloads the configuration.
public final class Daemon {
    let configPath: String
    let databaseOverride: String?
    let logger: Logger
    let lifecycle = Lifecycle()
    let notifier = SystemdNotifier()
    private var signalSources: [DispatchSourceSignal] = []
    private var watchdog: DispatchSourceTimer?

    /// Makes a daemon for the configuration at `configPath`; `database`, when given, overrides the configured one.
    public init(configPath: String, database: String? = nil, logger: Logger) {
        self.configPath = configPath
        self.databaseOverride = database
        self.logger = logger
    }

    /// Runs until asked to stop; returns the process exit code.
    public func run() throws -> Int32 {
        var config = try loadConfig()
        installSignalHandlers()
        let store = try Store(path: config.database)
        // Readers are served from the start: restoring the story index of a large store takes a while.
        let metrics = Metrics()
        let logger = self.logger
        let web = try config.http.map { settings in
            let server = try WebServer(
                settings: settings, database: config.database, metrics: { metrics.text() },
                log: { logger.warning($0) })
            logger.notice(WebServer.announcement(settings, port: server.port, metrics: true))
            return server
        }
        let pipeline = try Pipeline(config: config, store: store, logger: logger)
        pipeline.extractionYieldsToReaders = web != nil
        let lifecycle = self.lifecycle
        pipeline.shouldStop = { lifecycle.stopRequested }
        pipeline.onProgress = { lifecycle.beat() }
        startWatchdog()
        notifier.notify("READY=1\nSTATUS=store open, \(config.feeds.count) feeds configured")
        logger.notice("tidings \(Version.current) serving \(config.feeds.count) feeds into \(config.database)")
        while !lifecycle.stopRequested {
            if lifecycle.takeReload() {
                do {
                    let before = config.http
                    config = try loadConfig()
                    try pipeline.reload(config)
                    if config.http != before {
                        logger.notice("[http] changed: the web server keeps its address and token until the next start")
                    }
                    logger.notice("configuration reloaded: \(config.feeds.count) feeds")
                    notifier.notify("STATUS=configuration reloaded, \(config.feeds.count) feeds")
                } catch {
                    logger.error("reload failed, keeping the previous configuration: \(error)")
                }
            }
            let started = Date()
            let report = pipeline.runCycle(onlyDue: true)
            if report.feeds > 0 {
                metrics.record(report, seconds: Date().timeIntervalSince(started), configuredFeeds: config.feeds.count)
                logger.info(
                    "cycle: \(report.feeds) feeds, \(report.newArticles) new articles, \(report.feedErrors) feed errors, \(report.notModified) not modified"
                )
                notifier.notify(
                    "STATUS=last cycle: \(report.feeds) feeds, \(report.newArticles) new articles, \(report.feedErrors) errors"
                )
            }
            if lifecycle.stopRequested { break }
            let next =
                ((try? store.feeds()) ?? []).filter(\.isActive).compactMap(\.nextPoll).min()
                ?? Date().addingTimeInterval(config.pollInterval)
            lifecycle.sleep(until: min(next, Date().addingTimeInterval(config.maxInterval)))
        }
        notifier.notify("STOPPING=1")
        watchdog?.cancel()
        web?.stop()
        logger.notice("stopped")
        return 0
    }

    private func loadConfig() throws -> Config {
        var c = try Config.load(path: configPath)
        if let databaseOverride { c.database = databaseOverride }
        return c
    }

    private func installSignalHandlers() {
        let queue = DispatchQueue(label: "tidings.signals")
        let lifecycle = self.lifecycle
        let logger = self.logger
        for (sig, stop) in [(SIGTERM, true), (SIGINT, true), (SIGHUP, false)] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                if stop {
                    logger.notice("signal \(sig): finishing the article in hand, then stopping")
                    lifecycle.requestStop()
                } else {
                    lifecycle.requestReload()
                }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private func startWatchdog() {
        guard let interval = SystemdNotifier.watchdogInterval() else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tidings.watchdog"))
        let notifier = self.notifier
        let lifecycle = self.lifecycle
        let logger = self.logger
        timer.schedule(deadline: .now(), repeating: interval / 2)
        // Fed only while the main loop sleeps or moves forward: a hung cycle lets systemd restart the service.
        timer.setEventHandler {
            if lifecycle.isHealthy(within: interval) {
                notifier.notify("WATCHDOG=1")
            } else {
                logger.warning("no progress for \(Int(interval)) s: not feeding the watchdog")
            }
        }
        timer.resume()
        watchdog = timer
    }
}
