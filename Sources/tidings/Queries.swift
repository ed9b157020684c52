import ArgumentParser
import Foundation
import Markup
import Store
import Web

/// Filters shared by `stories`, `articles` and `export`.
struct FilterOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only what was published in this last span (90m, 24h, 7d) or since a date (2026-11-20).",
            valueName: "span-or-date"))
    var since: String?

    @Option(help: "Only from this feed: its id, its address, or part of its title.")
    var feed: String?

    @Option(help: "Only in this language (ISO 639-1 code, e.g. fr).")
    var lang: String?

    @Option(help: "Only what its feed tagged with this category (case-insensitive, e.g. World).")
    var category: String?

    func validate() throws { _ = try FilterOptions.since(since) }

    /// The filter these options describe, over `store`.
    func filter(_ store: Store, limit: Int?) throws -> ArticleFilter {
        var f = ArticleFilter(
            language: lang?.lowercased(), category: category.map { $0.trimmingCharacters(in: .whitespaces) },
            limit: limit)
        f.since = try FilterOptions.since(since)
        if let feed {
            let feeds = try store.feeds(matching: feed)
            guard !feeds.isEmpty else { fail("no feed matches '\(feed)' in \(store.path) (see `tidings feeds list`)") }
            f.feedIDs = feeds.map(\.id)
        }
        return f
    }

    /// The time a `--since` value names; a usage error for a value that names none.
    static func since(_ value: String?) throws -> Date? {
        guard let value else { return nil }
        guard let date = Since.parse(value) else {
            throw ValidationError("--since expects \(Since.expected); got '\(value)'")
        }
        return date
    }
}

/// `tidings stories`: the story list.
struct StoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stories", abstract: "List stories, most recently updated first.")

    @OptionGroup var filters: FilterOptions

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Most stories to list.", valueName: "n"))
    var limit = 50

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        let stories = try s.stories(filter: try filters.filter(s, limit: limit))
        if json {
            print(JSON.array(stories.map { Shapes.story($0, withText: false) }).text)
            return
        }
        var table = Table(headers: ["STORY", "UPDATED", "ARTICLES", "SOURCES", "TITLE"], flexible: 4)
        for story in stories {
            table.rows.append([
                String(story.id), story.updated.map(FeedDate.rfc3339) ?? "-", String(story.articles.count),
                String(Set(story.articles.compactMap(\.source)).count), story.title ?? "(untitled)",
            ])
        }
        table.print()
    }
}

/// `tidings articles`: the article list, or one article.
struct Articles: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List articles, newest first, or show one with its text.")

    @Argument(help: "An article id: show that article with its clean text.")
    var article: Int64?

    @OptionGroup var filters: FilterOptions

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Most articles to list.", valueName: "n"))
    var limit = 50

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        if let article {
            guard let a = try s.article(id: article) else { fail("no article \(article) in \(s.path)") }
            if json {
                print(Shapes.article(a, withText: true).text)
                return
            }
            print(
                "\(a.title ?? "(untitled)")\n\(a.source ?? "unknown source") · \(a.published.map(FeedDate.rfc3339) ?? "-") · story \(a.storyID ?? 0)\(a.url.map { " · " + $0 } ?? "")\n"
            )
            print(a.text ?? "")
            return
        }
        let list = try s.articles(filter: try filters.filter(s, limit: limit))
        if json {
            print(JSON.array(list.map { Shapes.article($0, withText: false) }).text)
            return
        }
        var table = Table(headers: ["ARTICLE", "STORY", "PUBLISHED", "LANG", "SOURCE", "TITLE"], flexible: 5)
        for a in list {
            table.rows.append([
                String(a.id), String(a.storyID ?? 0), a.published.map(FeedDate.rfc3339) ?? "-", a.language ?? "-",
                a.source ?? "-", a.title ?? "(untitled)",
            ])
        }
        table.print()
    }
}

/// `tidings export`: every article, for downstream use.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every article (with its story and clean text) for downstream use, oldest first.")

    /// The two formats an export is written in.
    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }

    @Option(help: "jsonl (one JSON object a line) or csv (RFC 4180, with a header row).")
    var format = Format.jsonl

    @OptionGroup var filters: FilterOptions

    @OptionGroup var store: StoreOptions

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        // New columns go last, so that readers of earlier exports find every column where it was.
        let columns = ["id", "story", "title", "url", "source", "published", "author", "lang", "text", "categories"]
        var out = BufferedOutput()
        if format == .csv { out.write(columns.joined(separator: ",") + "\r\n") }
        try s.forEachArticle(filter: try filters.filter(s, limit: nil)) { a in
            // JSON Lines: the categories as an array; CSV: one field, "; " between them.
            let categories: JSON =
                format == .jsonl
                ? .array(a.categories.map { .string($0) })
                : .string(a.categories.joined(separator: "; "))
            let values: [JSON] = [
                .int(a.id), a.storyID.map { .int($0) } ?? .null, .of(a.title), .of(a.url), .of(a.source),
                .of(a.published), .of(a.author), .of(a.language), .of(a.text), categories,
            ]
            switch format {
            case .jsonl: out.write(JSON.object(Array(zip(columns, values))).text + "\n")
            case .csv: out.write(values.map(Export.csvField).joined(separator: ",") + "\r\n")
            }
        }
        out.flush()
    }

    static func csvField(_ v: JSON) -> String {
        let s: String
        switch v {
        case .null: return ""
        case .int(let i): return String(i)
        case .string(let x): s = x
        default: s = v.text
        }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `tidings show`: one story with its articles' text.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show one story with every article's clean text (or, with --article, the story an article belongs to).")

    @Argument(help: "Story id (an article id with --article).")
    var id: Int64

    @Flag(help: "The id is an article's: show its story, with that article marked.")
    var article = false

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        var storyID = id
        if article {
            guard let a = try s.article(id: id), let story = a.storyID else { fail("no article \(id) in \(s.path)") }
            storyID = story
        }
        storyID = try s.resolveStory(storyID)  // a story merged into another is shown as the one it went into
        guard let full = try s.story(id: storyID) else { fail("no story \(storyID) in \(s.path)") }
        if json {
            var object = Shapes.story(full, withText: true)
            if article, case .object(var pairs) = object {
                pairs.append(("article", .int(id)))
                object = .object(pairs)
            }
            print(object.text)
        } else {
            if article { print("Article \(id) belongs to:") }
            Printer.story(full)
        }
    }
}

/// `tidings search`: full-text search.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Full-text search over titles and clean text (diacritics folded: coree finds Corée), best matches first.")

    @Argument(help: "FTS5 query: words, \"a phrase\", prefix*, AND/OR/NOT.")
    var query: String

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: ArgumentHelp("Most results.", valueName: "n"))
    var limit = 20

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        let hits: [(article: ArticleView, story: Int64, snippet: String)]
        do { hits = try s.search(query, limit: limit) } catch { fail("\(error)") }
        if json {
            print(
                JSON.array(
                    hits.map { Shapes.searchHit(story: $0.story, article: $0.article, snippet: $0.snippet) }
                ).text)
        } else {
            for h in hits {
                print("\(h.story)\t\(h.article.source ?? "-")\t\(h.article.title ?? "(untitled)")")
                print("\t\(h.snippet)")
            }
        }
    }
}

/// `tidings stats`: what the store holds.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What the store holds: feeds, articles, stories, duplicates collapsed, size.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let path = try store.databasePath()
        let s = try openStore(path, readOnly: true)
        let c = try s.counts()
        let bytes = Shapes.databaseBytes(path)
        let collapsed = c.articles - c.stories
        if json {
            print(
                Shapes.stats(feeds: c.feeds, articles: c.articles, stories: c.stories, bytes: bytes).text)
        } else {
            print(
                "feeds \(c.feeds)\narticles \(c.articles)\nstories \(c.stories)\nduplicates collapsed \(collapsed)\nstore size \(bytes / 1024) KiB (\(path))"
            )
        }
    }
}

/// Stdout written in large blocks (an export prints millions of lines).
struct BufferedOutput {
    private var buffer = Data()

    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Opens the store or exits with its one-line error.
func openStore(_ path: String, readOnly: Bool = false) throws -> Store {
    do { return try Store(path: path, readOnly: readOnly) } catch { fail("\(error)") }
}
