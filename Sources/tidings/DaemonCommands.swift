import ArgumentParser
import Dispatch
import Foundation
import Service
import Web

/// `tidings demo`: the pipeline once over the bundled seeds, into a database of its own.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon's pipeline once over the bundled seed pages and print the stories.")

    @Option(
        help: ArgumentHelp(
            "Database file, in the working directory unless a path.", valueName: "file"))
    var db = "tidings-demo.db"

    @Option(
        help: ArgumentHelp(
            "Folder holding the seeds feed (default: ./seeds, else the one beside this build).", valueName: "folder"))
    var seeds: String?

    @Option(
        help: ArgumentHelp(
            "Log level: error, warning, notice, info or debug.", valueName: "level"))
    var logLevel = "warning"

    func validate() throws { _ = try parseLogLevel(logLevel) }

    func run() throws {
        let level = try parseLogLevel(logLevel)
        guard let feed = SeedLocator.feed(explicit: seeds) else {
            fail("cannot find seeds/feed.xml (run from the repository, or pass --seeds FOLDER)")
        }
        let dbPath = URL(fileURLWithPath: db).standardizedFileURL.path
        let existed = FileManager.default.fileExists(atPath: dbPath)
        var config = Config(database: dbPath)
        config.feeds = [FeedConfig(url: URL(fileURLWithPath: feed).absoluteString, title: "tidings seeds")]
        let store = try openStore(dbPath)
        let pipeline = try Pipeline(config: config, store: store, logger: Logger(level: level))
        let report = pipeline.runCycle()
        print("tidings demo — database: \(dbPath)\(existed ? " (existing)" : " (new)")")
        print("feed: \(feed)")
        print(
            "this run: \(report.newArticles) new articles, \(report.seenEntries) already stored, "
                + "\(report.feedErrors + report.articleErrors) errors")
        print("")
        for story in try store.stories(limit: 20) {
            guard let full = try store.story(id: story.id) else { continue }
            Printer.story(full)
        }
        if report.feedErrors > 0 { throw ExitCode(2) }
    }
}

/// `tidings run --once`: one cycle over the configured feeds.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one full cycle over the configured feeds, then exit.")

    @Flag(help: "One cycle over every configured feed (required; `tidings serve` runs on the schedule).")
    var once = false

    @OptionGroup var options: ConfigOptions

    func validate() throws {
        guard once else { throw ValidationError("`tidings run` needs --once; use `tidings serve` for the daemon") }
    }

    func run() throws {
        limitMallocArenas()
        let logger = try options.logger()
        var config = try loadConfig(options.path())
        if let db = options.db { config.database = db }
        let store = try openStore(config.database)
        let pipeline = try Pipeline(config: config, store: store, logger: logger)
        let report = pipeline.runCycle()
        print(
            "\(report.feeds) feeds: \(report.newArticles) new articles (\(report.joinedStories) joined existing "
                + "stories), \(report.seenEntries) already stored, \(report.notModified) not modified, "
                + "\(report.feedErrors) feed errors, \(report.articleErrors) article errors")
        if report.feedErrors > 0 || report.articleErrors > 0 { throw ExitCode(2) }
    }
}

/// `tidings serve`: the daemon.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run the daemon: poll feeds on their schedule until SIGTERM or SIGINT (SIGHUP reloads the configuration).")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        limitMallocArenas()
        let logger = try options.logger()
        let path = options.path()
        _ = try loadConfig(path)
        let code: Int32
        do { code = try Daemon(configPath: path, database: options.db, logger: logger).run() } catch {
            fail("\(error)")
        }
        throw ExitCode(code)
    }
}

/// `tidings web`: the read-only web page and API alone, over a store another process (or machine) writes.
struct WebCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract:
            "Serve the web page and JSON API, read-only, over a store (until SIGTERM or SIGINT); `serve` does the same "
            + "beside the daemon when [http] listen is set.")

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "Address to listen on, overriding [http] listen (e.g. 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    func validate() throws {
        try options.validate()
        if let listen, WebSettings(listen: listen).address == nil {
            throw ValidationError("--listen expects HOST:PORT (e.g. 127.0.0.1:8080); got '\(listen)'")
        }
    }

    func run() throws {
        let path = options.path()
        // With --db and --listen a configuration file is not needed; one that exists is still read (its token).
        let loaded: Config? =
            (options.db != nil && listen != nil && !FileManager.default.fileExists(atPath: path))
            ? nil : try loadConfig(path)
        var settings = loaded?.http ?? WebSettings(listen: listen ?? "")
        if let listen { settings.listen = listen }
        guard !settings.listen.isEmpty else {
            fail("\(path) has no [http] listen; set it (e.g. listen = \"127.0.0.1:8080\") or pass --listen")
        }
        guard let database = options.db ?? loaded?.database else { fail("no database: pass --db or --config") }
        let logger = try options.logger()
        let server: WebServer
        do {
            server = try WebServer(settings: settings, database: database, log: { logger.warning($0) })
        } catch { fail("\(error)") }
        logger.notice(WebServer.announcement(settings, port: server.port, metrics: false) + ", reading \(database)")
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        server.stop()
        logger.notice("stopped")
        withExtendedLifetime(sources) {}
    }
}

/// Finds the bundled seeds feed.
enum SeedLocator {
    static func feed(explicit: String?) -> String? {
        var folders: [String] = []
        if let explicit { folders.append(explicit) }
        if let env = ProcessInfo.processInfo.environment["TIDINGS_SEEDS"] { folders.append(env) }
        folders.append(FileManager.default.currentDirectoryPath + "/seeds")
        // Beside the build: .build/<triple>/debug/tidings → repository/seeds.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(dir.appendingPathComponent("seeds").path)
            dir.deleteLastPathComponent()
        }
        folders.append("/usr/share/tidings/seeds")
        for f in folders {
            let p = URL(fileURLWithPath: f).appendingPathComponent("feed.xml").standardizedFileURL.path
            if FileManager.default.fileExists(atPath: p) { return p }
            if explicit != nil && f == explicit { return nil }
        }
        return nil
    }
}

/// Loads the configuration or exits with its one-line error.
func loadConfig(_ path: String) throws -> Config {
    do { return try Config.load(path: path) } catch { fail("\(error)") }
}
