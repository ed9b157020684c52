import Foundation
import Markup
import Store

/// Filters shared by `stories`, `articles` and `export`.
struct FilterOptions {
    static let parameters: [Parameter] = [
        .option("since", value: "span-or-date", help: "Only what was published in this last span (90m, 24h, 7d) or since a date (2026-11-20)."),
        .option("feed", help: "Only from this feed: its id, its address, or part of its title."),
        .option("lang", help: "Only in this language (ISO 639-1 code, e.g. fr)."),
        .option("category", help: "Only what its feed tagged with this category (case-insensitive, e.g. World)."),
    ]

    let since: String?
    let feed: String?
    let lang: String?
    let category: String?

    init(_ a: ParsedArguments) {
        since = a.option("since")
        feed = a.option("feed")
        lang = a.option("lang")
        category = a.option("category").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The filter these options describe, over `store`.
    func filter(_ store: Store, limit: Int?) throws -> ArticleFilter {
        var f = ArticleFilter(language: lang?.lowercased(), category: category, limit: limit)
        if let since {
            guard let date = FilterOptions.date(since) else {
                throw UsageError("--since expects a span such as 90m, 24h or 7d, or a date such as 2026-11-20; got '\(since)'")
            }
            f.since = date
        }
        if let feed {
            let feeds = try store.feeds(matching: feed)
            guard !feeds.isEmpty else { fail("no feed matches '\(feed)' in \(store.path) (see `tidings feeds list`)") }
            f.feedIDs = feeds.map(\.id)
        }
        return f
    }

    /// A time from a span back from now ("24h") or a date ("2026-11-20", RFC 3339).
    static func date(_ s: String, now: Date = Date()) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        // A span is at most a thousand years back (1e308h was taken, and a date that far is no date).
        if let u = s.last, let scale = units[u], let n = Double(s.dropLast()), n >= 0, n * scale <= 1000 * 366 * 86400 {
            return now.addingTimeInterval(-n * scale)
        }
        if let u = s.last, units[u] != nil, Double(s.dropLast()) != nil { return nil }
        return FeedDate.parse(s.count == 10 ? s + "T00:00:00Z" : s)
    }
}

struct StoriesCommand: Command {
    static let spec = CommandSpec(name: "stories", abstract: "List stories, most recently updated first.",
                                  parameters: FilterOptions.parameters + StoreOptions.parameters + [
                                      .flag("json", help: "Print JSON."),
                                      .option("limit", value: "n", help: "Most stories to list (default: 50)."),
                                  ])

    let filters: FilterOptions
    let store: StoreOptions
    let json: Bool
    let limit: Int

    init(_ a: ParsedArguments) throws {
        filters = FilterOptions(a)
        store = StoreOptions(a)
        json = a.flag("json")
        limit = try a.integer(option: "limit") ?? 50
    }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        let stories = try s.stories(filter: try filters.filter(s, limit: limit))
        if json {
            print(JSON.array(stories.map { Printer.storyJSON($0, withText: false) }).text)
            return
        }
        var table = Table(headers: ["STORY", "UPDATED", "ARTICLES", "SOURCES", "TITLE"], flexible: 4)
        for story in stories {
            table.rows.append([String(story.id), story.updated.map(FeedDate.rfc3339) ?? "-", String(story.articles.count),
                               String(Set(story.articles.compactMap(\.source)).count), story.title ?? "(untitled)"])
        }
        table.print()
    }
}

struct Articles: Command {
    static let spec = CommandSpec(name: "articles", abstract: "List articles, newest first, or show one with its text.",
                                  parameters: [.argument("article", optional: true, help: "An article id: show that article with its clean text.")]
                                      + FilterOptions.parameters + StoreOptions.parameters + [
                                      .flag("json", help: "Print JSON."),
                                      .option("limit", value: "n", help: "Most articles to list (default: 50)."),
                                  ])

    let article: Int64?
    let filters: FilterOptions
    let store: StoreOptions
    let json: Bool
    let limit: Int

    init(_ a: ParsedArguments) throws {
        article = try a.integer(argument: "article")
        filters = FilterOptions(a)
        store = StoreOptions(a)
        json = a.flag("json")
        limit = try a.integer(option: "limit") ?? 50
    }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        if let article {
            guard let a = try s.article(id: article) else { fail("no article \(article) in \(s.path)") }
            if json { print(Printer.articleJSON(a, withText: true).text); return }
            print("\(a.title ?? "(untitled)")\n\(a.source ?? "unknown source") · \(a.published.map(FeedDate.rfc3339) ?? "-") · story \(a.storyID ?? 0)\(a.url.map { " · " + $0 } ?? "")\n")
            print(a.text ?? "")
            return
        }
        let list = try s.articles(filter: try filters.filter(s, limit: limit))
        if json {
            print(JSON.array(list.map { Printer.articleJSON($0, withText: false) }).text)
            return
        }
        var table = Table(headers: ["ARTICLE", "STORY", "PUBLISHED", "LANG", "SOURCE", "TITLE"], flexible: 5)
        for a in list {
            table.rows.append([String(a.id), String(a.storyID ?? 0), a.published.map(FeedDate.rfc3339) ?? "-", a.language ?? "-",
                               a.source ?? "-", a.title ?? "(untitled)"])
        }
        table.print()
    }
}

struct Export: Command {
    static let spec = CommandSpec(name: "export",
        abstract: "Write every article (with its story and clean text) for downstream use, oldest first.", parameters: [
            .option("format", help: "jsonl (one JSON object a line, the default) or csv (RFC 4180, with a header row)."),
        ] + FilterOptions.parameters + StoreOptions.parameters)

    enum Format: String { case jsonl, csv }

    let format: Format
    let filters: FilterOptions
    let store: StoreOptions

    init(_ a: ParsedArguments) throws {
        let name = a.option("format") ?? "jsonl"
        guard let f = Format(rawValue: name) else { throw UsageError("--format expects jsonl or csv; got '\(name)'") }
        format = f
        filters = FilterOptions(a)
        store = StoreOptions(a)
    }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        // New columns go last, so that readers of earlier exports find every column where it was.
        let columns = ["id", "story", "title", "url", "source", "published", "author", "lang", "text", "categories"]
        var out = BufferedOutput()
        if format == .csv { out.write(columns.joined(separator: ",") + "\r\n") }
        try s.forEachArticle(filter: try filters.filter(s, limit: nil)) { a in
            // JSON Lines: the categories as an array; CSV: one field, "; " between them.
            let categories: JSON = format == .jsonl ? .array(a.categories.map { .string($0) })
                : .string(a.categories.joined(separator: "; "))
            let values: [JSON] = [.int(a.id), a.storyID.map { .int($0) } ?? .null, .of(a.title), .of(a.url), .of(a.source),
                                  .of(a.published), .of(a.author), .of(a.language), .of(a.text), categories]
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
