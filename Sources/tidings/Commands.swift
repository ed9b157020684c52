import Extraction
import Feeds
import Fetch
import Foundation
import Markup
import Service
import Stories
import Store
import Synchronization

struct Demo: Command {
    static let spec = CommandSpec(name: "demo",
        abstract: "Run the daemon's pipeline once over the bundled seed pages and print the stories.", parameters: [
            .option("db", value: "file", help: "Database file (default: tidings-demo.db in the working directory)."),
            .option("seeds", value: "folder", help: "Folder holding the seeds feed (default: ./seeds, else the one beside this build)."),
            .option("log-level", value: "level", help: "Log level: error, warning, notice, info or debug (default: warning)."),
        ])

    let db: String
    let seeds: String?
    let logLevel: String

    init(_ a: ParsedArguments) {
        db = a.option("db") ?? "tidings-demo.db"
        seeds = a.option("seeds")
        logLevel = a.option("log-level") ?? "warning"
    }

    func run() throws {
        guard let level = LogLevel(name: logLevel) else { throw UsageError("unknown log level '\(logLevel)'") }
        guard let feed = SeedLocator.feed(explicit: seeds) else {
            fail("cannot find seeds/feed.xml (run from the repository, or pass --seeds FOLDER)")
        }
        let dbPath = URL(fileURLWithPath: db).standardizedFileURL.path
        let existed = FileManager.default.fileExists(atPath: dbPath)
        var config = Config(database: dbPath)
        config.feeds = [FeedConfig(url: URL(fileURLWithPath: feed).absoluteString, title: "tidings seeds")]
        let store = try Store(path: dbPath)
        let pipeline = try Pipeline(config: config, store: store, logger: Logger(level: level))
        let report = pipeline.runCycle()
        print("tidings demo — database: \(dbPath)\(existed ? " (existing)" : " (new)")")
        print("feed: \(feed)")
        print("this run: \(report.newArticles) new articles, \(report.seenEntries) already stored, \(report.feedErrors + report.articleErrors) errors")
        print("")
        for story in try store.stories(limit: 20) {
            guard let full = try store.story(id: story.id) else { continue }
            Printer.story(full)
        }
        if report.feedErrors > 0 { throw ExitCode(2) }
    }
}

struct Run: Command {
    static let spec = CommandSpec(name: "run", abstract: "Run one full cycle over the configured feeds, then exit.", parameters: [
        .flag("once", help: "One cycle over every configured feed (required; `tidings serve` runs on the schedule)."),
    ] + ConfigOptions.parameters)

    let once: Bool
    let options: ConfigOptions

    init(_ a: ParsedArguments) {
        once = a.flag("once")
        options = ConfigOptions(a)
    }

    func run() throws {
        guard once else { throw UsageError("`tidings run` needs --once; use `tidings serve` for the daemon") }
        limitMallocArenas()
        let logger = try options.logger()
        var config = try loadConfig(options.path())
        if let db = options.db { config.database = db }
        let store = try openStore(config.database)
        let pipeline = try Pipeline(config: config, store: store, logger: logger)
        let report = pipeline.runCycle()
        print("\(report.feeds) feeds: \(report.newArticles) new articles (\(report.joinedStories) joined existing stories), \(report.seenEntries) already stored, \(report.notModified) not modified, \(report.feedErrors) feed errors, \(report.articleErrors) article errors")
        if report.feedErrors > 0 || report.articleErrors > 0 { throw ExitCode(2) }
    }
}

struct Serve: Command {
    static let spec = CommandSpec(name: "serve",
        abstract: "Run the daemon: poll feeds on their schedule until SIGTERM or SIGINT (SIGHUP reloads the configuration).",
        parameters: ConfigOptions.parameters)

    let options: ConfigOptions

    init(_ a: ParsedArguments) { options = ConfigOptions(a) }

    func run() throws {
        limitMallocArenas()
        let logger = try options.logger()
        let path = options.path()
        _ = try loadConfig(path)
        let code: Int32
        do { code = try Daemon(configPath: path, database: options.db, logger: logger).run() } catch { fail("\(error)") }
        throw ExitCode(code)
    }
}

struct Show: Command {
    static let spec = CommandSpec(name: "show",
        abstract: "Show one story with every article's clean text (or, with --article, the story an article belongs to).", parameters: [
            .argument("id", help: "Story id (an article id with --article)."),
            .flag("article", help: "The id is an article's: show its story, with that article marked."),
        ] + StoreOptions.parameters + [.flag("json", help: "Print JSON.")])

    let id: Int64
    let article: Bool
    let store: StoreOptions
    let json: Bool

    init(_ a: ParsedArguments) throws {
        id = try a.integer(argument: "id")!
        article = a.flag("article")
        store = StoreOptions(a)
        json = a.flag("json")
    }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        var storyID = id
        if article {
            guard let a = try s.article(id: id), let story = a.storyID else { fail("no article \(id) in \(s.path)") }
            storyID = story
        }
        storyID = try s.resolveStory(storyID) // a story merged into another is shown as the one it went into
        guard let full = try s.story(id: storyID) else { fail("no story \(storyID) in \(s.path)") }
        if json {
            var object = Printer.storyJSON(full, withText: true)
            if article, case .object(var pairs) = object { pairs.append(("article", .int(id))); object = .object(pairs) }
            print(object.text)
        } else {
            if article { print("Article \(id) belongs to:") }
            Printer.story(full)
        }
    }
}

struct Search: Command {
    static let spec = CommandSpec(name: "search",
        abstract: "Full-text search over titles and clean text (diacritics folded: coree finds Corée), best matches first.", parameters: [
            .argument("query", help: "FTS5 query: words, \"a phrase\", prefix*, AND/OR/NOT."),
        ] + StoreOptions.parameters + [
            .flag("json", help: "Print JSON."),
            .option("limit", value: "n", help: "Most results (default: 20)."),
        ])

    let query: String
    let store: StoreOptions
    let json: Bool
    let limit: Int

    init(_ a: ParsedArguments) throws {
        query = a.argument("query")!
        store = StoreOptions(a)
        json = a.flag("json")
        limit = try a.integer(option: "limit") ?? 20
    }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        let hits: [(article: ArticleView, story: Int64, snippet: String)]
        do { hits = try s.search(query, limit: limit) } catch { fail("\(error)") }
        if json {
            print(JSON.array(hits.map { h in
                .object([("story", .int(h.story)), ("article", Printer.articleJSON(h.article, withText: false)),
                         ("snippet", .string(h.snippet))])
            }).text)
        } else {
            for h in hits {
                print("\(h.story)\t\(h.article.source ?? "-")\t\(h.article.title ?? "(untitled)")")
                print("\t\(h.snippet)")
            }
        }
    }
}

struct Stats: Command {
    static let spec = CommandSpec(name: "stats", abstract: "What the store holds: feeds, articles, stories, duplicates collapsed, size.",
                                  parameters: StoreOptions.parameters + [.flag("json", help: "Print JSON.")])

    let store: StoreOptions
    let json: Bool

    init(_ a: ParsedArguments) {
        store = StoreOptions(a)
        json = a.flag("json")
    }

    func run() throws {
        let path = try store.databasePath()
        let s = try openStore(path, readOnly: true)
        let c = try s.counts()
        let bytes = Vacuum.size(path)
        let collapsed = c.articles - c.stories
        if json {
            print(JSON.object([("feeds", .int(Int64(c.feeds))), ("articles", .int(Int64(c.articles))),
                               ("stories", .int(Int64(c.stories))), ("duplicates_collapsed", .int(Int64(collapsed))),
                               ("bytes", .int(bytes))]).text)
        } else {
            print("feeds \(c.feeds)\narticles \(c.articles)\nstories \(c.stories)\nduplicates collapsed \(collapsed)\nstore size \(bytes / 1024) KiB (\(path))")
        }
    }
}

struct Parse: Command {
    static let spec = CommandSpec(name: "parse", abstract: "Parse a feed file or URL and print what was read.", parameters: [
        .argument("source", help: "Feed file or http(s) URL."),
        .flag("json", help: "Print JSON in the feed-conformance schema."),
        .option("url", value: "url", help: "For a file: the address it was fetched from (the base of relative links)."),
        .option("content-type", value: "type", help: "For a file: the HTTP Content-Type it came with (its charset beats the XML declaration)."),
    ])

    let source: String
    let json: Bool
    let url: String?
    let contentType: String?

    init(_ a: ParsedArguments) {
        source = a.argument("source")!
        json = a.flag("json")
        url = a.option("url").flatMap { $0.isEmpty ? nil : $0 }
        contentType = a.option("content-type").flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() throws {
        if !(source.hasPrefix("http://") || source.hasPrefix("https://")) {
            // A file streams: entries are printed as they are read, so a huge feed needs little memory.
            // A file has no address of its own on the web: relative links stay relative unless xml:base or --url
            // gives one; --content-type's charset is the one the server would have sent.
            var first = true
            if json { FileHandle.standardOutput.write(Data("{\"entries\":[".utf8)) }
            let feed: ParsedFeed
            do {
                feed = try FeedParser.parse(file: source, url: url,
                                            charset: contentType.flatMap(FetchResponse.charset(ofContentType:))) { e in
                    if json {
                        FileHandle.standardOutput.write(Data(((first ? "" : ",") + Printer.entryJSON(e).text).utf8))
                    } else {
                        print("  \(e.published.map(FeedDate.rfc3339) ?? "                    ")  \(e.title ?? "(untitled)")  \(e.link ?? "")")
                    }
                    first = false
                }
            } catch {
                if json { FileHandle.standardOutput.write(Data("]}\n".utf8)) }
                fail("\(source): \(error)")
            }
            if json {
                FileHandle.standardOutput.write(Data(("],\"feed\":" + Printer.feedHeaderJSON(feed).text + "}\n").utf8))
            } else {
                print("\(feed.format.rawValue): \(feed.title ?? "(untitled)")\(feed.isIllFormed ? " (ill-formed: \(feed.problem ?? "recovered"))" : "")")
            }
            return
        }
        let data: Data
        let base: String
        let charset: String?
        switch HTTPClient(userAgent: Pipeline.userAgent).fetch(FetchRequest(url: source)) {
        case .failure(let e): fail(e.description)
        case .success(let r):
            guard (200..<300).contains(r.status) else { fail("\(source): HTTP \(r.status)") }
            data = r.body
            base = r.finalURL
            charset = r.charset
        }
        let feed: ParsedFeed
        do { feed = try FeedParser.parse(data, url: base, charset: charset) } catch { fail("\(source): \(error)") }
        if json {
            print(Printer.feedJSON(feed).text)
        } else {
            print("\(feed.format.rawValue): \(feed.title ?? "(untitled)") — \(feed.entries.count) entries\(feed.isIllFormed ? " (ill-formed: \(feed.problem ?? "recovered"))" : "")")
            for e in feed.entries {
                print("  \(e.published.map(FeedDate.rfc3339) ?? "                    ")  \(e.title ?? "(untitled)")  \(e.link ?? "")")
            }
        }
    }
}

struct Extract: Command {
    static let spec = CommandSpec(name: "extract",
        abstract: "Extract the article (title, byline, date, language, clean body) from page files (.html, .html.gz, .txt).", parameters: [
            .argument("paths", many: true, help: "Page files."),
            .flag("jsonl", help: "Print one JSON object a line."),
            .option("url", help: "The page's address (for relative links and site memory)."),
        ])

    let paths: [String]
    let jsonl: Bool
    let url: String?

    init(_ a: ParsedArguments) {
        paths = a.arguments("paths")
        jsonl = a.flag("jsonl")
        url = a.option("url")
    }

    func run() throws {
        var failures = 0
        for path in paths {
            let data: Data
            do { data = try FileReader.read(path) } catch {
                FileHandle.standardError.write(Data("tidings: \(error)\n".utf8))
                failures += 1
                continue
            }
            let name = URL(fileURLWithPath: path).lastPathComponent
            var id = name
            if id.hasSuffix(".gz") { id.removeLast(3) }
            for ext in [".html", ".htm", ".txt"] where id.hasSuffix(ext) { id.removeLast(ext.count); break }
            let type = name.contains(".htm") ? "text/html" : (name.hasSuffix(".txt") ? "text/plain" : nil)
            let article = Extractor.extract(data, contentType: type, hints: PageHints(url: url))
            if jsonl {
                print(JSON.object([
                    ("id", .string(id)), ("title", .of(article.title)), ("author", .of(article.author)),
                    ("published", .of(article.published)), ("lang", .of(article.language)),
                    ("articleBody", .string(article.text)),
                ]).text)
            } else {
                print("# \(article.title ?? "(no title)")")
                let meta = [article.author.map { "by \($0)" }, article.published.map(FeedDate.rfc3339), article.language]
                    .compactMap { $0 }.joined(separator: " · ")
                if !meta.isEmpty { print(meta) }
                print("")
                print(article.text)
                print("")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

struct Cluster: Command {
    static let spec = CommandSpec(name: "cluster",
        abstract: "Group a JSON Lines file of articles into stories with the daemon's own code, in file order.", parameters: [
            .flag("jsonl", help: "Read JSON Lines and print {\"id\", \"cluster\"} a line (the only format)."),
            .option("config", value: "file", help: "Configuration file whose [stories] thresholds apply (default: built-in defaults)."),
            .argument("file", help: "JSON Lines file: {\"id\", \"url\", \"title\", \"text\", \"published\"} a line."),
        ])

    let config: String?
    let file: String

    init(_ a: ParsedArguments) {
        config = a.option("config")
        file = a.argument("file")!
    }

    func run() throws {
        let settings = try config.map { try loadConfig($0).stories } ?? ClusterSettings()
        let data: Data
        do { data = try FileReader.read(file, maxBytes: 4 << 30, mapped: true) } catch { fail("\(error)") }
        let lines = JSONLines.ranges(data)
        let file = self.file
        // Articles are read and prepared on every core, a few chunks ahead, while this thread (the index, which
        // every article waits for) takes them in order. Chunks are small: the index waits for each in turn, and
        // a small one is never long in the making.
        let chunks = stride(from: 0, to: lines.count, by: 16).map { $0..<min($0 + 16, lines.count) }
        let pipeline = PreparePipeline(count: chunks.count, ahead: 16, makeState: ClusterInput.Scratch.init) { k, scratch in
            ClusterInput.prepare(data, lines: Array(lines[chunks[k]]), firstLine: chunks[k].lowerBound + 1, file: file, scratch: scratch)
        }
        pipeline.startWorkers(ProcessInfo.processInfo.activeProcessorCount)
        let index = StoryIndex(settings: settings)
        // A story a later article merges into another is printed under the story it ended in, so every line
        // waits for the end of the stream: ids and stories are kept (a few dozen bytes an article).
        var ids: [String] = [], assigned: [Int64] = []
        var merges = StoryMerges()
        for k in chunks.indices {
            for item in pipeline.take(k) {
                switch item {
                case .failure(let error):
                    fail(error.message)
                case .success(let (id, doc)):
                    let a = index.assign(doc)
                    merges.record(a)
                    ids.append(id)
                    assigned.append(a.story)
                }
            }
        }
        var out = ""
        for (id, story) in zip(ids, assigned) {
            out += "{\"id\":" + id + ",\"cluster\":" + String(merges.resolve(story)) + "}\n"
            if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// Chunks of work prepared on worker threads in order, at most `ahead` chunks beyond the one the consumer
/// takes.
final class PreparePipeline<Item, State>: @unchecked Sendable {
    private let count: Int
    private let makeState: () -> State
    private let work: (Int, State) -> [Item]
    private lazy var consumerState = makeState()
    /// Each chunk's items, written by the thread that made it before `done` is signalled (storage of its own:
    /// threads write different slots at once).
    private let results: UnsafeMutablePointer<[Item]>
    private let done: [DispatchSemaphore]
    private let permits: DispatchSemaphore
    private let next = Atomic<Int>(0)

    /// A pipeline over chunks 0..<count, each made by `work` (called on any thread, once per chunk) with the
    /// `makeState()` of that thread.
    init(count: Int, ahead: Int, makeState: @escaping () -> State, work: @escaping (Int, State) -> [Item]) {
        self.count = count
        self.makeState = makeState
        self.work = work
        results = .allocate(capacity: max(count, 1))
        results.initialize(repeating: [], count: count)
        done = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        permits = DispatchSemaphore(value: ahead)
    }

    deinit {
        results.deinitialize(count: count)
        results.deallocate()
    }

    /// Starts `n` worker threads at a lower priority than the consumer's (Linux: per thread).
    func startWorkers(_ n: Int) {
        for _ in 0..<max(1, n) {
            let t = Thread { [self] in
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                let state = makeState()
                while claim(state) {}
            }
            t.start()
        }
    }

    /// Claims the next chunk and prepares it; false when every chunk is claimed.
    private func claim(_ state: State) -> Bool {
        permits.wait()
        let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard k < count else { permits.signal(); return false }
        results[k] = work(k, state)
        done[k].signal()
        return true
    }

    /// Chunk `k`'s items, once prepared (chunks are taken in order, each once).
    func take(_ k: Int) -> [Item] {
        // The chunk is made here when no worker has claimed it yet (at the start, before they run); a chunk
        // already being made is waited for, never worked around: the next chunks are no use before it.
        if next.compareExchange(expected: k, desired: k + 1, ordering: .relaxed).exchanged {
            permits.wait()
            results[k] = work(k, consumerState)
        } else {
            done[k].wait()
        }
        permits.signal()
        let items = results[k]
        results[k] = []
        return items
    }
}

/// Reading `cluster`'s JSON Lines into prepared documents.
enum ClusterInput {
    struct LineError: Error { let message: String }

    /// What one thread reuses from line to line.
    final class Scratch {
        let preparer = DocumentPreparer()
        /// Each line's "text", unescaped: it is only tokenized, so it never becomes a String.
        var body: [UInt8] = []
    }

    /// The members `prepare` reads, by position.
    private static let members = ["id", "url", "source", "title", "published"].map { Array($0.utf8) }
    private static let textMember = Array("text".utf8)

    /// Parses and prepares the lines at `lines` (byte ranges of `data`), reusing `scratch`; blank lines are skipped.
    static func prepare(_ data: Data, lines: [Range<Int>], firstLine: Int, file: String, scratch: Scratch)
        -> [Result<(String, PreparedDocument), LineError>] {
        var items: [Result<(String, PreparedDocument), LineError>] = []
        items.reserveCapacity(lines.count)
        data.withUnsafeBytes { raw in
            for (offset, range) in lines.enumerated() {
                let lineNumber = firstLine + offset
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                guard !line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) else { continue }
                guard let values = try? JSONLineReader.members(line, members, utf8Member: textMember, into: &scratch.body) else {
                    items.append(.failure(LineError(message: "\(file):\(lineNumber): not a JSON object")))
                    return
                }
                func text(_ k: Int) -> String? { if case .string(let s)? = values[k] { return s }; return nil }
                let idJSON: JSON
                switch values[0] {
                case .string(let s)?: idJSON = .string(s)
                case .number(let n)?: idJSON = Int64(n).map { .int($0) } ?? .string(n)
                default: idJSON = .int(Int64(lineNumber))
                }
                let id = idJSON.text
                let doc = ClusterDocument(id: id, url: text(1), source: text(2), title: text(3),
                                          text: "", published: text(4).flatMap(FeedDate.parse))
                items.append(.success((id, scratch.body.withUnsafeBufferPointer { scratch.preparer.prepare(doc, bodyUTF8: $0) })))
            }
        }
        return items
    }
}

/// Splitting JSON Lines without copying byte by byte.
enum JSONLines {
    /// The byte ranges of the non-empty lines of `data`.
    static func ranges(_ data: Data) -> [Range<Int>] {
        data.withUnsafeBytes { raw -> [Range<Int>] in
            guard let base = raw.baseAddress else { return [] }
            var lines: [Range<Int>] = []
            var start = 0
            while start < raw.count {
                let rest = raw.count - start
                let end: Int
                if let p = memchr(base + start, 10, rest) { end = base.distance(to: UnsafeRawPointer(p)) } else { end = raw.count }
                lines.append(start..<end)
                start = end + 1
            }
            return lines
        }
    }
}

/// Loads the configuration or exits with its one-line error.
func loadConfig(_ path: String) throws -> Config {
    do { return try Config.load(path: path) } catch { fail("\(error)") }
}

/// Opens the store or exits with its one-line error.
func openStore(_ path: String, readOnly: Bool = false) throws -> Store {
    do { return try Store(path: path, readOnly: readOnly) } catch { fail("\(error)") }
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
