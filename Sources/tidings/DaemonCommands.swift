import ArgumentParser
import Foundation
import Service

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
