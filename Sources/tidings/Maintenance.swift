import ArgumentParser
import Foundation
import Service
import Store
import Stories
import Web

/// `tidings check`.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check the database: SQLite's integrity check, foreign keys, no entry stored twice (exit 3 when not sound)."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try store.databasePath()
        let problems: [String]
        do {
            let s = try Store(path: path, readOnly: true)
            problems = try s.integrityProblems()
        } catch let e as StoreError where Check.isDamage(e) {
            problems = [e.message]  // pages overwritten, a truncated file: unsound, not "could not run"
        } catch {
            fail(Check.naming(path, "\(error)"))
        }
        guard problems.isEmpty else {
            for p in problems {
                FileHandle.standardError.write(Data(("tidings: " + Check.naming(path, p) + "\n").utf8))
            }
            throw ExitCode(3)
        }
        print("\(path): ok")
    }

    /// SQLite's word for a damaged database (SQLITE_CORRUPT). A file that is no database at all (SQLITE_NOTADB:
    /// a configuration file given by mistake) is "could not run", like a missing one.
    static func isDamage(_ e: StoreError) -> Bool { e.code & 0xFF == 11 }

    /// `message` with the database's path in front, once.
    static func naming(_ path: String, _ message: String) -> String {
        message.contains(path) ? message : "\(path): \(message)"
    }
}

/// `tidings vacuum`.
struct Vacuum: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compact the database (waits for the daemon's current write; readers keep reading).")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try store.databasePath()
        let s = try openStore(path)
        let before = Shapes.databaseBytes(path)
        do { try s.vacuum() } catch { fail("\(path): cannot vacuum: \(error)") }
        print("\(path): \(before / 1024) KiB → \(Shapes.databaseBytes(path) / 1024) KiB")
    }
}

/// `tidings backup`.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to a new file, while the daemon keeps running.")

    @Argument(help: "The backup file to create (never overwritten).")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        do { try s.backup(to: file) } catch { fail("\(error)") }
        print("\(s.path) → \(file) (\(Shapes.databaseBytes(file) / 1024) KiB)")
    }
}

/// `tidings regroup`.
struct RegroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regroup",
        abstract:
            "Rebuild the stories of the stored articles with this version's grouping, in publication order, in one "
            + "transaction (stop the daemon first).")

    @Option(
        help: ArgumentHelp(
            "Only articles published or stored in this last span (7d) or since a date (default: all).",
            valueName: "span-or-date"))
    var since: String?

    @OptionGroup var store: StoreOptions

    func validate() throws { _ = try FilterOptions.since(since) }

    func run() throws {
        let from = try FilterOptions.since(since)
        let path = try store.databasePath()
        // The configuration's [stories] settings, as the daemon would use them (built-in defaults without one).
        let configPath = configurationPath(store.config)
        let settings =
            store.config != nil || FileManager.default.fileExists(atPath: configPath)
            ? try loadConfig(configPath).stories : ClusterSettings()
        let s = try openStore(path)
        let report: Regroup.Report
        do { report = try Regroup.run(store: s, settings: settings, since: from) } catch {
            fail("\(path): cannot regroup (nothing was changed): \(error)")
        }
        print(
            "\(path): \(report.articles) articles regrouped into \(report.stories) stories; \(report.retired) old story ids now lead to the story that took their articles"
        )
    }
}
