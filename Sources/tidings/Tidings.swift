import ArgumentParser
import CMalloc
import Foundation
import Service

/// The `tidings` command line: swift-argument-parser declares each command's options once and writes help, usage
/// errors (exit status 64) and completion scripts from those declarations.
@main
struct Tidings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract:
            "A news-feed aggregator: fetches feeds, keeps clean article text, groups reports of one event into stories.",
        version: Version.current,
        subcommands: [
            Demo.self, Run.self, Serve.self, WebCommand.self, StoriesCommand.self, Show.self, Search.self, Stats.self,
            FeedsCommand.self,
            Articles.self, Export.self, Check.self, Vacuum.self, Backup.self, Parse.self, Extract.self, Cluster.self,
            RegroupCommand.self,
        ])

    /// Parses the command line and runs the command. A failure a command reports is one line, `tidings: …`, and
    /// exit status 1 (or the status the command chose); the parser's own errors and requests (help, a usage error:
    /// status 64) are answered as swift-argument-parser answers them.
    static func main() {
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do {
            try command.run()
        } catch let error as ValidationError {
            // A value only the run could judge: the usage of the command that read it, not the root's.
            FileHandle.standardError.write(
                Data("Error: \(error.message)\n\(usageString(for: type(of: command)))\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch  where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            exit(withError: error)  // `tidings help …`, a group run without a subcommand, ExitCode
        } catch {
            fail("\(error)")
        }
    }
}

/// Options shared by commands that read the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Configuration file (default: /etc/tidings/tidings.toml if present, else config/tidings.toml).",
            valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Database file, overriding the configuration's `database`.", valueName: "file"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Log level: error, warning, notice, info or debug.", valueName: "level"))
    var logLevel: String = "info"

    func validate() throws { _ = try logger() }

    /// The configuration file to use.
    func path() -> String { configurationPath(config) }

    func logger() throws -> Logger { try Logger(level: parseLogLevel(logLevel)) }
}

/// Options shared by commands that read the store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Database file (default: the one the configuration names).", valueName: "file"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Configuration file, used to find the database when --db is not given.", valueName: "file"))
    var config: String?

    /// The database to read.
    func databasePath() throws -> String {
        if let db { return db }
        return try Config.load(path: configurationPath(config)).database
    }
}

/// The configuration file to use: the one named, else $TIDINGS_CONFIG, else the system's, else the repository's.
func configurationPath(_ explicit: String?) -> String {
    if let explicit { return explicit }
    if let env = ProcessInfo.processInfo.environment["TIDINGS_CONFIG"], !env.isEmpty { return env }
    if FileManager.default.fileExists(atPath: "/etc/tidings/tidings.toml") { return "/etc/tidings/tidings.toml" }
    return "config/tidings.toml"
}

/// The log level a `--log-level` value names; a usage error for any other word.
func parseLogLevel(_ name: String) throws -> LogLevel {
    guard let level = LogLevel(name: name) else {
        throw ValidationError("unknown log level '\(name)'; expected error, warning, notice, info or debug")
    }
    return level
}

/// Prints `message` to stderr as the one line a failing command leaves, and exits non-zero.
func fail(_ message: String, code: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data(("tidings: " + message + "\n").utf8))
    Foundation.exit(code)
}

/// Keeps glibc to two malloc arenas unless MALLOC_ARENA_MAX says otherwise: the daemon's fetch, extraction and
/// store threads each got an arena of their own, which held freed memory apart (10 000 feeds: peak RSS 127 → 108 MB,
/// no measurable cost in time).
func limitMallocArenas() {
    guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
    _ = mallopt(M_ARENA_MAX, 2)
}
