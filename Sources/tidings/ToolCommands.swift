import ArgumentParser
import Extraction
import Feeds
import Fetch
import Foundation
import Markup
import Service
import Stories
import Web

/// `tidings parse`: what the feed parser reads from a file or an address.
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Parse a feed file or URL and print what was read.")

    @Argument(help: "Feed file or http(s) URL.")
    var source: String

    @Flag(help: "Print JSON in the feed-conformance schema.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "For a file: the address it was fetched from (the base of relative links).", valueName: "url"))
    var url: String?

    @Option(
        help: ArgumentHelp(
            "For a file: the HTTP Content-Type it came with (its charset beats the XML declaration).", valueName: "type"
        ))
    var contentType: String?

    func run() throws {
        // An empty value is no value (a runner may pass `--url=` for a file that has no address).
        let url = self.url.flatMap { $0.isEmpty ? nil : $0 }
        let contentType = self.contentType.flatMap { $0.isEmpty ? nil : $0 }
        if !(source.hasPrefix("http://") || source.hasPrefix("https://")) {
            // A file streams: entries are printed as they are read, so a huge feed needs little memory.
            // A file has no address of its own on the web: relative links stay relative unless xml:base or --url
            // gives one; --content-type's charset is the one the server would have sent.
            var first = true
            if json { FileHandle.standardOutput.write(Data("{\"entries\":[".utf8)) }
            let feed: ParsedFeed
            do {
                feed = try FeedParser.parse(
                    file: source, url: url,
                    charset: contentType.flatMap(FetchResponse.charset(ofContentType:))
                ) { e in
                    if json {
                        FileHandle.standardOutput.write(Data(((first ? "" : ",") + Printer.entryJSON(e).text).utf8))
                    } else {
                        print(
                            "  \(e.published.map(FeedDate.rfc3339) ?? "                    ")  \(e.title ?? "(untitled)")  \(e.link ?? "")"
                        )
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
                print(
                    "\(feed.format.rawValue): \(feed.title ?? "(untitled)")\(feed.isIllFormed ? " (ill-formed: \(feed.problem ?? "recovered"))" : "")"
                )
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
            print(
                "\(feed.format.rawValue): \(feed.title ?? "(untitled)") — \(feed.entries.count) entries\(feed.isIllFormed ? " (ill-formed: \(feed.problem ?? "recovered"))" : "")"
            )
            for e in feed.entries {
                print(
                    "  \(e.published.map(FeedDate.rfc3339) ?? "                    ")  \(e.title ?? "(untitled)")  \(e.link ?? "")"
                )
            }
        }
    }
}

/// `tidings extract`: the article extractor on page files.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Extract the article (title, byline, date, language, clean body) from page files (.html, .html.gz, .txt).")

    @Argument(help: "Page files.")
    var paths: [String]

    @Flag(help: "Print one JSON object a line.")
    var jsonl = false

    @Option(help: "The page's address (for relative links and site memory).")
    var url: String?

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
            for ext in [".html", ".htm", ".txt"] where id.hasSuffix(ext) {
                id.removeLast(ext.count)
                break
            }
            let type = name.contains(".htm") ? "text/html" : (name.hasSuffix(".txt") ? "text/plain" : nil)
            let article = Extractor.extract(data, contentType: type, hints: PageHints(url: url))
            if jsonl {
                print(
                    JSON.object([
                        ("id", .string(id)), ("title", .of(article.title)), ("author", .of(article.author)),
                        ("published", .of(article.published)), ("lang", .of(article.language)),
                        ("articleBody", .string(article.text)),
                    ]).text)
            } else {
                print("# \(article.title ?? "(no title)")")
                let meta = [
                    article.author.map { "by \($0)" }, article.published.map(FeedDate.rfc3339), article.language,
                ]
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

/// `tidings cluster`: the daemon's story grouping on a JSON Lines file, for the dedup eval.
struct Cluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Group a JSON Lines file of articles into stories with the daemon's own code, in file order.")

    @Flag(help: "Read JSON Lines and print {\"id\", \"cluster\"} a line (the only format).")
    var jsonl = false

    @Option(
        help: ArgumentHelp(
            "Configuration file whose [stories] thresholds apply (default: built-in defaults).", valueName: "file"))
    var config: String?

    @Argument(help: "JSON Lines file: {\"id\", \"url\", \"title\", \"text\", \"published\"} a line.")
    var file: String

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
        let pipeline = PreparePipeline(count: chunks.count, ahead: 16, makeState: ClusterInput.Scratch.init) {
            k, scratch in
            ClusterInput.prepare(
                data, lines: Array(lines[chunks[k]]), firstLine: chunks[k].lowerBound + 1, file: file, scratch: scratch)
        }
        pipeline.startWorkers(ProcessInfo.processInfo.activeProcessorCount)
        let consumerScratch = ClusterInput.Scratch()
        let index = StoryIndex(settings: settings)
        // A story a later article merges into another is printed under the story it ended in, so every line
        // waits for the end of the stream: ids and stories are kept (a few dozen bytes an article).
        var ids: [String] = []
        var assigned: [Int64] = []
        var merges = StoryMerges()
        for k in chunks.indices {
            for item in pipeline.take(k, state: consumerScratch) {
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
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
