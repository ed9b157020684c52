import ArgumentParser
import Feeds
import Fetch
import Foundation
import Markup
import Service
import Store
import Web

/// `tidings feeds …`: the commands that read and edit the feed list.
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "The feed list: the configuration file owns it, the database keeps each feed's state.",
        subcommands: [List.self, Add.self, Remove.self, Import.self, ExportOPML.self])

    /// `tidings feeds list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List feeds: last fetch, status, error, next poll.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let s = try openStore(try store.databasePath(), readOnly: true)
            let feeds = try s.feeds()
            if json {
                print(JSON.array(feeds.map(Shapes.feed)).text)
                return
            }
            var table = Table(headers: ["ID", "STATE", "LAST FETCH", "NEXT POLL", "FEED"], flexible: 4)
            for f in feeds {
                table.rows.append([
                    String(f.id), List.state(f), f.lastFetch.map(FeedDate.rfc3339) ?? "-",
                    f.isActive ? (f.nextPoll.map(FeedDate.rfc3339) ?? "due") : "-",
                    f.url + (f.title.map { " (\($0))" } ?? ""),
                ])
            }
            table.print()
        }

        static func state(_ f: FeedRecord) -> String {
            if f.removed { return "removed" }
            if f.retired { return "retired (gone)" }
            if let e = f.lastError { return "error ×\(f.errorCount): \(e)" }
            return f.lastStatus.map { "HTTP \($0)" } ?? "never fetched"
        }
    }

    /// `tidings feeds add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add a feed to the configuration; given a web page, add the feed it announces (<link rel=\"alternate\">)."
        )

        @Argument(help: "A feed's or a web page's http(s) address, or a feed file.")
        var url: String

        @Option(help: "Display name (default: the feed's own title).")
        var title: String?

        @Flag(help: "Add the address as given, without fetching it first.")
        var noCheck = false

        @OptionGroup var options: ConfigOptions

        func run() throws {
            let configPath = options.path()
            if let problem = Config.addressProblem(url) { fail("the feed address \(problem)") }
            var feed = FeedConfig(url: url, title: title)
            if !noCheck { feed = try Add.resolve(url, title: title) }
            let added: [FeedConfig]
            do { added = try ConfigEditor.addFeeds([feed], to: configPath) } catch { fail("\(error)") }
            guard let first = added.first else {
                print("\(feed.url) is already in \(configPath)")
                return
            }
            syncStore(configPath)
            print(
                "added \(first.url)\(first.title.map { " (\($0))" } ?? "") to \(configPath); a running daemon polls it after `systemctl reload tidings` (SIGHUP)"
            )
        }

        /// The feed behind `address`: the address itself when it is a feed, else the first feed its page announces.
        static func resolve(_ address: String, title: String?) throws -> FeedConfig {
            let lower = address.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                // A local file: it must read as a feed.
                let path = lower.hasPrefix("file://") ? URL(string: address)?.path ?? address : address
                let data: Data
                do { data = try FileReader.read(path, maxBytes: FeedParser.defaultMaxBytes) } catch {
                    fail("\(address): \(error)")
                }
                // Relative to here, not to the configuration.
                let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
                do {
                    let f = try FeedParser.parse(data, url: nil)
                    return FeedConfig(url: absolute, title: title ?? f.title)
                } catch {
                    fail("\(address): \(error)")
                }
            }
            let client = HTTPClient(limits: FetchLimits(), userAgent: Pipeline.userAgent)
            let response: FetchResponse
            switch client.fetch(FetchRequest(url: address)) {
            case .failure(let e): fail("\(address): \(e.message)")
            case .success(let r) where !(200..<300).contains(r.status): fail("\(address): HTTP \(r.status)")
            case .success(let r): response = r
            }
            let canonical = response.permanentRedirect ?? address
            if let feed = try? FeedParser.parse(response.body, url: response.finalURL, charset: response.charset),
                !feed.entries.isEmpty || feed.title != nil
            {
                return FeedConfig(url: canonical, title: title ?? feed.title)
            }
            let found = FeedDiscovery.feeds(inPage: response.body, url: response.finalURL, charset: response.charset)
            guard let best = found.first else {
                fail(
                    "\(address): neither a feed nor a page that announces one (no <link rel=\"alternate\" type=\"application/rss+xml\"> or similar)"
                )
            }
            for other in found.dropFirst() {
                FileHandle.standardError.write(
                    Data(
                        "tidings: \(address) also announces \(other.url)\(other.title.map { " (\($0))" } ?? "")\n".utf8)
                )
            }
            return FeedConfig(url: best.url, title: title ?? best.title)
        }
    }

    /// `tidings feeds remove`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a feed from the configuration (its articles and stories stay in the database).")

        @Argument(help: "The feed's address as configured, or its id from `tidings feeds list`.")
        var feed: String

        @OptionGroup var options: ConfigOptions

        func run() throws {
            let configPath = options.path()
            var address = feed
            if Int64(feed) != nil, let config = try? Config.load(path: configPath),
                let store = try? Store(path: config.database, readOnly: true),
                let record = try store.feeds(matching: feed).first
            {
                address = record.url
            }
            var removed: Bool
            do { removed = try ConfigEditor.removeFeed(url: address, from: configPath) } catch { fail("\(error)") }
            if !removed, Int64(feed) == nil, let config = try? Config.load(path: configPath),
                let store = try? Store(path: config.database, readOnly: true),
                let record = try store.feeds(matching: feed).first
            {
                // A feed that moved (301) is configured under its first address.
                for f in config.feeds where (try? store.feeds(matching: f.url).first?.id) == record.id {
                    removed = (try? ConfigEditor.removeFeed(url: f.url, from: configPath)) ?? false
                    if removed {
                        address = f.url
                        break
                    }
                }
            }
            guard removed else { fail("\(feed) is not a feed of \(configPath) (see `tidings feeds list`)") }
            syncStore(configPath)
            print("removed \(address) from \(configPath); its articles stay in the database")
        }
    }

    /// `tidings feeds import`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Add every feed of an OPML file (as Miniflux, FreshRSS, newsboat, Feedly… export) to the configuration."
        )

        @Argument(help: "The OPML file.")
        var file: String

        @OptionGroup var options: ConfigOptions

        func run() throws {
            let configPath = options.path()
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { fail("\(file): cannot be read") }
            let feeds: [OPMLFeed]
            do { feeds = try OPML.parse(data) } catch { fail("\(file): \(error)") }
            guard !feeds.isEmpty else { fail("\(file): no feeds (no <outline xmlUrl=\"…\">)") }
            // An address is taken as `feeds add` takes it: an http(s) URL, or a local file that reads as a feed (an
            // export of one's own list); nothing else (file:///etc/passwd, javascript:, a line break in an address).
            // Each one left out is said, on one line.
            var accepted: [OPMLFeed] = []
            for f in feeds {
                if let problem = Import.problem(f.url) {
                    FileHandle.standardError.write(
                        Data("tidings: \(file): skipped an outline whose xmlUrl \(problem)\n".utf8))
                } else {
                    accepted.append(f)
                }
            }
            guard !accepted.isEmpty else { fail("\(file): no feed address to import") }
            let added: [FeedConfig]
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            let imported = accepted.map { FeedConfig(url: Config.feedURL($0.url, base: here), title: $0.title) }
            do { added = try ConfigEditor.addFeeds(imported, to: configPath) } catch {
                fail("\(error)")
            }
            syncStore(configPath)
            let skipped = feeds.count - accepted.count
            print(
                "\(added.count) feeds added to \(configPath), \(accepted.count - added.count) already there"
                    + (skipped > 0 ? ", \(skipped) skipped" : ""))
        }

        /// What keeps `address` out of the configuration, or nil.
        static func problem(_ address: String) -> String? {
            if let problem = Config.addressProblem(address) { return problem }
            let lower = address.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return nil }
            let path = lower.hasPrefix("file://") ? URL(string: address)?.path ?? address : address
            guard let data = try? FileReader.read(path, maxBytes: FeedParser.defaultMaxBytes),
                (try? FeedParser.parse(data, url: nil)) != nil
            else {
                return "is neither an http(s) address nor a local file that reads as a feed: \(address)"
            }
            return nil
        }
    }

    /// `tidings feeds export`.
    struct ExportOPML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Print the configured feeds as OPML 2.0, for other readers.")

        @OptionGroup var options: ConfigOptions

        func run() throws {
            let config = try loadConfig(options.path())
            let store =
                FileManager.default.fileExists(atPath: config.database)
                ? try? Store(path: config.database, readOnly: true) : nil
            let feeds = config.feeds.map { f -> OPMLFeed in
                let record = try? store?.feeds(matching: f.url).first
                return OPMLFeed(url: record?.url ?? f.url, title: f.title ?? record?.title, site: record?.site)
            }
            print(OPML.document(feeds, title: "tidings feeds"), terminator: "")
        }
    }
}

/// Brings the database's feed list in line with the configuration just edited (when the database can be written).
func syncStore(_ configPath: String) {
    guard let config = try? Config.load(path: configPath) else { return }
    do {
        let store = try Store(path: config.database)
        try store.syncFeeds(config.feeds.map { ($0.url, $0.title) })
    } catch {
        FileHandle.standardError.write(
            Data(
                "tidings: \(config.database): not updated (\(error)); the daemon applies the configuration at its next start or reload\n"
                    .utf8))
    }
}
