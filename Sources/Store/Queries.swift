import Foundation

/// Which articles (or stories holding them) a query wants.
public struct ArticleFilter: Sendable {
    /// Published (or stored) at or after this time.
    public var since: Date?
    /// From one of these feeds (nil: any feed).
    public var feedIDs: [Int64]?
    /// In this language (ISO 639-1).
    public var language: String?
    /// Tagged with this category (case-insensitive, whole).
    public var category: String?
    /// Most rows.
    public var limit: Int?
    /// Start after this place of a newest-first list (the `next` of the page before).
    public var after: PageCursor?

    /// A filter; nil fields select everything.
    public init(
        since: Date? = nil, feedIDs: [Int64]? = nil, language: String? = nil, category: String? = nil,
        limit: Int? = nil
    ) {
        self.since = since
        self.feedIDs = feedIDs
        self.language = language
        self.category = category
        self.limit = limit
    }

    /// SQL conditions on the `articles` table aliased `a`, with their values.
    func conditions() -> (sql: [String], values: [SQLValue]) {
        var sql: [String] = []
        var values: [SQLValue] = []
        if let since {
            sql.append("coalesce(a.published, a.added) >= ?")
            values.append(.double(since.timeIntervalSince1970))
        }
        if let ids = feedIDs {
            sql.append("a.feed_id IN (\(ids.isEmpty ? "NULL" : ids.map(String.init).joined(separator: ",")))")
        }
        if let language {
            sql.append("a.lang = ?")
            values.append(.text(language))
        }
        if let category {
            sql.append("EXISTS (SELECT 1 FROM article_categories c WHERE c.category = ? AND c.article_id = a.id)")
            values.append(.text(category))
        }
        return (sql, values)
    }
}

/// Filtered reads for the CLI: stories, articles, exports.
extension Store {
    /// Feeds whose id, address or title (case-insensitive, in part) is `query`.
    public func feeds(matching query: String) throws -> [FeedRecord] {
        if let id = Int64(query), let f = try db.query("\(Store.feedColumns) WHERE id = ?", [.int(id)]).first {
            return [Store.feedRecord(f)]
        }
        let exact = try db.query("\(Store.feedColumns) WHERE url = ? OR origin = ?", [.text(query), .text(query)])
        if !exact.isEmpty { return exact.map(Store.feedRecord) }
        return try db.query(
            "\(Store.feedColumns) WHERE instr(lower(coalesce(title, '')), lower(?1)) > 0 OR instr(lower(url), lower(?1)) > 0 ORDER BY id",
            [.text(query)]
        ).map(Store.feedRecord)
    }

    /// Stories with at least one article matching `filter`, most recently updated first, each with its articles
    /// (without their text), in one query.
    public func stories(filter: ArticleFilter) throws -> [StoryView] {
        var sql = "SELECT s.id, s.title, s.updated, s.first_seen, s.last_seen FROM stories s"
        var values: [SQLValue] = []
        var wheres: [String] = []
        if let since = filter.since {
            wheres.append("s.last_seen >= ?")
            values.append(.double(since.timeIntervalSince1970))
        }
        if let after = filter.after {
            wheres.append("(s.last_seen, s.id) < (?, ?)")
            values += [.double(after.time), .int(after.id)]
        }
        var inner = filter
        inner.since = nil
        inner.after = nil
        let (conds, condValues) = inner.conditions()
        if !conds.isEmpty {
            wheres.append(
                "EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND \(conds.joined(separator: " AND ")))")
            values += condValues
        }
        if !wheres.isEmpty { sql += " WHERE " + wheres.joined(separator: " AND ") }
        sql += " ORDER BY s.last_seen DESC, s.id DESC LIMIT ?"
        values.append(.int(Int64(filter.limit ?? 50)))
        return try storiesWithArticles(sql, values, withText: false)
    }

    /// One article by id, with its text.
    public func article(id: Int64) throws -> ArticleView? {
        try db.query("\(Store.articleColumns(text: true)) FROM articles a WHERE a.id = ?", [.int(id)]).first.map {
            Store.articleView($0)
        }
    }

    /// Articles matching `filter`, newest first (text only when `withText`).
    public func articles(filter: ArticleFilter, withText: Bool = false) throws -> [ArticleView] {
        var result: [ArticleView] = []
        try forEachArticle(filter: filter, newestFirst: true, withText: withText) { result.append($0) }
        return result
    }

    /// Hands every article matching `filter` to `body`, one at a time (an export of a million articles holds one).
    public func forEachArticle(
        filter: ArticleFilter, newestFirst: Bool = false, withText: Bool = true,
        _ body: (ArticleView) throws -> Void
    ) throws {
        var (conds, values) = filter.conditions()
        if let after = filter.after {
            conds.append("(coalesce(a.published, a.added), a.id) \(newestFirst ? "<" : ">") (?, ?)")
            values += [.double(after.time), .int(after.id)]
        }
        var sql = "\(Store.articleColumns(text: withText)) FROM articles a"
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql +=
            " ORDER BY coalesce(a.published, a.added) \(newestFirst ? "DESC" : "ASC"), a.id \(newestFirst ? "DESC" : "ASC")"
        var all = values
        if let limit = filter.limit {
            sql += " LIMIT ?"
            all.append(.int(Int64(limit)))
        }
        try db.forEach(sql, all) { try body(Store.articleView($0)) }
    }

    static func articleColumns(text: Bool) -> String {
        "SELECT a.id, a.title, a.url, a.source, a.published, a.author, a.lang, \(text ? "a.text" : "NULL"), a.story_id, a.copy_of, "
            + "(SELECT group_concat(category, char(31)) FROM "
            + "(SELECT category FROM article_categories WHERE article_id = a.id ORDER BY position)), "
            + "coalesce(a.published, a.added)"
    }

    /// The article in columns `start…` of `r` (as `articleColumns` lists them).
    static func articleView(_ r: Row, from start: Int = 0) -> ArticleView {
        let i = start
        return ArticleView(
            id: r.int(i) ?? 0, title: r.text(i + 1), url: r.text(i + 2), source: r.text(i + 3),
            published: r.date(i + 4), author: r.text(i + 5), language: r.text(i + 6), text: r.text(i + 7),
            storyID: r.int(i + 8), copyOf: r.int(i + 9),
            categories: r.text(i + 10).map { $0.split(separator: "\u{1F}").map(String.init) } ?? [],
            listedAt: r.date(i + 11))
    }
}

/// A place in a newest-first list: the sort time and id of the last row shown. The next page starts after it, so
/// rows that arrive while a reader pages neither repeat nor shift what follows.
public struct PageCursor: Sendable, Equatable {
    /// The row's sort time (Unix seconds, exactly as stored).
    public var time: Double
    /// The row's id.
    public var id: Int64

    /// A cursor after the row with this sort time and id.
    public init(time: Double, id: Int64) {
        self.time = time
        self.id = id
    }

    /// The cursor after `story`, the last of a page.
    public init?(after story: StoryView) {
        guard let t = story.lastSeen else { return nil }
        self.init(time: t.timeIntervalSince1970, id: story.id)
    }

    /// The cursor after `article`, the last of a page.
    public init?(after article: ArticleView) {
        guard let t = article.listedAt else { return nil }
        self.init(time: t.timeIntervalSince1970, id: article.id)
    }

    /// Text form: the time's bits in hexadecimal (exact, no rounding), a dot, the id.
    public var text: String { String(time.bitPattern, radix: 16) + "." + String(id) }

    /// Reads the text form; nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 16, let bits = UInt64(parts[0], radix: 16),
            let id = Int64(parts[1]), Double(bitPattern: bits).isFinite
        else { return nil }
        self.init(time: Double(bitPattern: bits), id: id)
    }
}
