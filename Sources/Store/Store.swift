import Foundation

/// An article ready to be stored, with the story it was assigned to.
public struct NewArticle: Sendable {
    /// The feed it came from.
    public var feedID: Int64?
    /// The entry's stable key within its feed.
    public var entryKey: String
    /// Page address.
    public var url: String?
    /// Canonical page address.
    public var canonicalURL: String?
    /// Headline.
    public var title: String?
    /// Byline.
    public var author: String?
    /// Publication time.
    public var published: Date?
    /// Language code.
    public var language: String?
    /// Clean body, one paragraph a line.
    public var text: String
    /// Hash of the clean text.
    public var contentHash: String?
    /// Human name of the source (the feed's title or host).
    public var source: String?
    /// The story chosen for it.
    public var storyID: Int64
    /// Why it joined that story.
    public var reason: String
    /// Similarity to the story.
    public var similarity: Double
    /// The time grouping placed the article at, when it had no date of its own (an estimate from its feed).
    public var groupedAt: Date? = nil
    /// The row id to store it under (`Store.nextArticleID`), so grouping can name it before it is stored; nil lets
    /// SQLite choose.
    public var id: Int64? = nil
    /// The article this one copies (same address, same text or a near-copy), when it is one.
    public var copyOf: Int64? = nil
    /// Its feed entry's categories and tags.
    public var categories: [String] = []

    /// Makes a record.
    public init(
        feedID: Int64?, entryKey: String, url: String?, canonicalURL: String?, title: String?, author: String?,
        published: Date?, language: String?, text: String, contentHash: String?, source: String?,
        storyID: Int64, reason: String, similarity: Double, groupedAt: Date? = nil
    ) {
        self.groupedAt = groupedAt
        self.feedID = feedID
        self.entryKey = entryKey
        self.url = url
        self.canonicalURL = canonicalURL
        self.title = title
        self.author = author
        self.published = published
        self.language = language
        self.text = text
        self.contentHash = contentHash
        self.source = source
        self.storyID = storyID
        self.reason = reason
        self.similarity = similarity
    }
}

/// An article as readers see it.
public struct ArticleView: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// Headline.
    public var title: String?
    /// Page address.
    public var url: String?
    /// Source name.
    public var source: String?
    /// Publication time.
    public var published: Date?
    /// Byline.
    public var author: String?
    /// Language code.
    public var language: String?
    /// Clean text (only when asked for).
    public var text: String?
    /// The story it belongs to.
    public var storyID: Int64? = nil
    /// The article of the same story this one copies, when it is a copy.
    public var copyOf: Int64? = nil
    /// Its categories, in the order its feed gave them.
    public var categories: [String] = []
    /// Its place in article lists: its publication time, or when it was stored.
    public var listedAt: Date? = nil
}

/// A story with its articles.
public struct StoryView: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// Title (its most representative article's).
    public var title: String?
    /// When the story last changed.
    public var updated: Date?
    /// When its first article was published or seen.
    public var firstSeen: Date?
    /// Its articles, oldest first.
    public var articles: [ArticleView]
    /// When its latest article was published or seen (the order of story lists).
    public var lastSeen: Date? = nil
}

/// What the grouping stage needs to rebuild its state after a restart.
public struct IndexedArticle: Sendable {
    /// Row id.
    public var id: Int64
    /// Page address.
    public var url: String?
    /// Headline.
    public var title: String?
    /// Clean text.
    public var text: String
    /// The outlet it came from.
    public var source: String?
    /// Publication time (or the time it was stored).
    public var published: Date?
    /// Its story.
    public var storyID: Int64
    /// The article it joined the story as a copy of, if it did.
    public var copyOf: Int64? = nil
}

/// The SQLite store: the daemon's single writer, and the CLI's readers.
public final class Store {
    let db: Connection
    /// The database file.
    public var path: String { db.path }

    /// Opens (creating and migrating when writable) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError("no database at \(path) (run `tidings run --once` or `tidings demo` first)")
        }
        db = try Connection(path: path, readOnly: readOnly)
        try db.execute("PRAGMA foreign_keys = ON")
        if !readOnly {
            try db.execute("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = NORMAL")
            // Each stored article is a savepoint inside its batch: keep the savepoints' undo pages in memory, not
            // in a temporary file (that file took most of the writes, about 50 per article).
            try db.execute("PRAGMA temp_store = MEMORY")
            try Migrations.apply(to: db)
        } else {
            let version = try db.query("PRAGMA user_version").first?.int(0) ?? 0
            if version == 0 { throw StoreError("\(path) is not a tidings database") }
            if version > Int64(Migrations.latest) {
                throw StoreError(
                    "\(path) has schema version \(version), newer than this tidings (\(Migrations.latest))")
            }
        }
    }

    /// The schema version of the open database.
    public func schemaVersion() throws -> Int {
        Int(try db.query("PRAGMA user_version").first?.int(0) ?? 0)
    }

    // MARK: - Feeds

    /// Adds a feed (or returns the existing one with that URL).
    @discardableResult
    public func addFeed(url: String, title: String? = nil) throws -> FeedRecord {
        try db.query(
            "INSERT INTO feeds(url, origin, title, added) VALUES (?, ?1, ?, ?) ON CONFLICT(url) DO NOTHING",
            [.text(url), .of(title), .double(Date().timeIntervalSince1970)])
        guard let feed = try feed(url: url) else { throw StoreError("feed \(url) vanished while being added") }
        return feed
    }

    /// Makes the store's feed list the configured one: new feeds added, feeds no longer configured marked removed
    /// (kept with their articles and state, and revived if they come back). A feed is matched by the address it was
    /// configured with, so one that moved (301) is still the configured feed. Returns (added, removed) counts.
    @discardableResult
    public func syncFeeds(_ configured: [(url: String, title: String?)]) throws -> (added: Int, removed: Int) {
        try db.transaction {
            var added = 0
            var kept = Set<Int64>()
            let now = Date().timeIntervalSince1970
            for f in configured {
                if let r = try db.query(
                    "SELECT id FROM feeds WHERE origin = ? OR url = ? ORDER BY origin = ? DESC LIMIT 1",
                    [.text(f.url), .text(f.url), .text(f.url)]
                ).first, let id = r.int(0) {
                    kept.insert(id)
                    try db.query(
                        "UPDATE feeds SET removed = 0, title = coalesce(?, title) WHERE id = ?",
                        [.of(f.title), .int(id)])
                } else {
                    try db.query(
                        "INSERT INTO feeds(url, origin, title, added) VALUES (?, ?, ?, ?)",
                        [.text(f.url), .text(f.url), .of(f.title), .double(now)])
                    kept.insert(db.lastInsertID)
                    added += 1
                }
            }
            var removed = 0
            for r in try db.query("SELECT id FROM feeds WHERE removed = 0") where !kept.contains(r.int(0) ?? 0) {
                try db.query("UPDATE feeds SET removed = 1 WHERE id = ?", [.int(r.int(0) ?? 0)])
                removed += 1
            }
            return (added, removed)
        }
    }

    /// Removes a feed; its articles stay, detached from it.
    public func removeFeed(url: String) throws -> Bool {
        try db.query("DELETE FROM feeds WHERE url = ?", [.text(url)])
        return db.changes > 0
    }

    /// The feed with that URL.
    public func feed(url: String) throws -> FeedRecord? {
        try db.query("\(Store.feedColumns) WHERE url = ?", [.text(url)]).first.map(Store.feedRecord)
    }

    /// Every feed, in the order they were added.
    public func feeds() throws -> [FeedRecord] {
        try db.query("\(Store.feedColumns) ORDER BY id").map(Store.feedRecord)
    }

    static let feedColumns = """
        SELECT id, url, title, site, etag, last_modified, last_fetch, last_status, last_error, error_count, next_poll, retired, removed
        FROM feeds
        """

    static func feedRecord(_ r: Row) -> FeedRecord {
        FeedRecord(
            id: r.int(0) ?? 0, url: r.text(1) ?? "", title: r.text(2), site: r.text(3), etag: r.text(4),
            lastModified: r.text(5), lastFetch: r.date(6), lastStatus: r.int(7).map(Int.init), lastError: r.text(8),
            errorCount: Int(r.int(9) ?? 0), nextPoll: r.date(10), retired: (r.int(11) ?? 0) != 0,
            removed: (r.int(12) ?? 0) != 0)
    }

    /// Records the outcome of fetching a feed.
    public func updateFeed(_ feed: FeedRecord) throws {
        try db.query(
            """
            UPDATE feeds SET url = ?, title = ?, site = ?, etag = ?, last_modified = ?, last_fetch = ?, last_status = ?,
              last_error = ?, error_count = ?, next_poll = ?, retired = ?, removed = ? WHERE id = ?
            """,
            [
                .text(feed.url), .of(feed.title), .of(feed.site), .of(feed.etag), .of(feed.lastModified),
                .of(feed.lastFetch),
                .of(feed.lastStatus), .of(feed.lastError), .int(Int64(feed.errorCount)), .of(feed.nextPoll),
                .int(feed.retired ? 1 : 0), .int(feed.removed ? 1 : 0), .int(feed.id),
            ])
    }

    /// Appends a line to the fetch log.
    public func logFetch(feedID: Int64, status: Int, bytes: Int, error: String?, duration: Double) throws {
        try db.query(
            "INSERT INTO fetch_log(feed_id, at, status, bytes, error, duration) VALUES (?, ?, ?, ?, ?, ?)",
            [
                .int(feedID), .double(Date().timeIntervalSince1970), .int(Int64(status)), .int(Int64(bytes)),
                .of(error), .double(duration),
            ])
    }

    // MARK: - Entries and articles

    /// True when the feed's entry with that key was already stored.
    public func hasEntry(feedID: Int64, key: String) throws -> Bool {
        try !db.query("SELECT 1 FROM entries WHERE feed_id = ? AND entry_key = ?", [.int(feedID), .text(key)]).isEmpty
    }

    /// Stores an article, its entry and its story membership in one transaction.
    /// Returns the article id, or nil when the entry was already stored (nothing is written twice).
    @discardableResult
    public func record(_ a: NewArticle, storyTitle: String?) throws -> Int64? {
        try db.transaction {
            let now = Date().timeIntervalSince1970
            if let feedID = a.feedID {
                try db.query(
                    "INSERT OR IGNORE INTO entries(feed_id, entry_key, url, title, published, seen) VALUES (?, ?, ?, ?, ?, ?)",
                    [.int(feedID), .text(a.entryKey), .of(a.url), .of(a.title), .of(a.published), .double(now)])
                if db.changes == 0 { return nil }
            }
            let entryID = a.feedID == nil ? nil : db.lastInsertID
            let when = (a.published ?? Date()).timeIntervalSince1970
            // One statement makes the story or updates it: its time span, its count, and its title when this article
            // is now the most representative.
            try db.query(
                """
                INSERT INTO stories(id, title, first_seen, last_seen, updated, article_count) VALUES (?1, coalesce(?5, ?2), ?3, ?3, ?4, 1)
                ON CONFLICT(id) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
                  last_seen = max(last_seen, excluded.last_seen), updated = excluded.updated,
                  article_count = article_count + 1, title = coalesce(?5, title)
                """, [.int(a.storyID), .of(a.title), .double(when), .double(now), .of(storyTitle)])
            try db.query(
                """
                INSERT INTO articles(id, url, canonical_url, title, author, published, lang, text, content_hash, source, feed_id,
                  story_id, reason, similarity, added, grouped_at, copy_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .of(a.id), .of(a.url), .of(a.canonicalURL), .of(a.title), .of(a.author), .of(a.published),
                    .of(a.language), .text(a.text), .of(a.contentHash), .of(a.source), .of(a.feedID), .int(a.storyID),
                    .text(a.reason), .double(a.similarity), .double(now), .of(a.groupedAt), .of(a.copyOf),
                ])
            let articleID = db.lastInsertID
            for (position, category) in a.categories.prefix(Store.categoriesPerArticle).enumerated() {
                let c = category.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !c.isEmpty else { continue }
                try db.query(
                    "INSERT OR IGNORE INTO article_categories(article_id, category, position) VALUES (?, ?, ?)",
                    [.int(articleID), .text(String(c.prefix(200))), .int(Int64(position))])
            }
            if let entryID {
                try db.query("UPDATE entries SET article_id = ? WHERE id = ?", [.int(articleID), .int(entryID)])
            }
            return articleID
        }
    }

    /// Articles to rebuild the grouping state from: those published or stored since `since`, in the order of the time
    /// grouping placed them at.
    public func articlesForIndex(since: Date) throws -> [IndexedArticle] {
        try db.query(
            """
            SELECT id, url, title, text, coalesce(published, grouped_at, added) AS t, story_id, source, copy_of
            FROM articles
            WHERE (added >= ?1 OR coalesce(published, grouped_at, added) >= ?1) AND story_id IS NOT NULL ORDER BY t, id
            """, [.double(since.timeIntervalSince1970)]
        ).map {
            IndexedArticle(
                id: $0.int(0) ?? 0, url: $0.text(1), title: $0.text(2), text: $0.text(3) ?? "",
                source: $0.text(6), published: $0.date(4), storyID: $0.int(5) ?? 0, copyOf: $0.int(7))
        }
    }

    /// Categories kept per article (a feed can tag an entry with hundreds; the first ones are its own).
    public static let categoriesPerArticle = 32

    /// The id the next stored article can take: above every article id in use, and above every id handed out
    /// before (`NewArticle.id`), so grouping can name an article before it is stored.
    public func nextArticleID() throws -> Int64 {
        (try db.query("SELECT coalesce(max(id), 0) FROM articles").first?.int(0) ?? 0) + 1
    }

    /// An already stored article that this one is again, if any: the same canonical address (tracking parameters,
    /// scheme and `www.` aside), or the same clean text from the same `source`. An outlet that re-publishes one
    /// article under a new GUID, with new tracking parameters or in several of its section feeds is not stored
    /// twice. One page that holds several entries (`page#one`, `page#two`: the canonical address drops the
    /// fragment) is several articles, unless their titles agree.
    public func storedCopy(
        canonicalURL: String?, url: String?, title: String?, contentHash: String?,
        source: String?
    ) throws -> Int64? {
        if let u = canonicalURL {
            for r in try db.query("SELECT id, url, title FROM articles WHERE canonical_url = ? LIMIT 50", [.text(u)]) {
                let fragments = (url?.contains("#") ?? false) || (r.text(1)?.contains("#") ?? false)
                if !fragments || r.text(2) == title { return r.int(0) }
            }
        }
        if let h = contentHash, let source,
            let id = try db.query(
                "SELECT id FROM articles WHERE content_hash = ? AND source = ? LIMIT 1", [.text(h), .text(source)]
            ).first?.int(0)
        {
            return id
        }
        return nil
    }

    /// Remembers an entry whose article is already stored (`storedCopy`), so it is not fetched again. Returns
    /// false when the entry was known already.
    @discardableResult
    public func recordEntry(
        feedID: Int64, key: String, url: String?, title: String?, published: Date?, article: Int64
    ) throws -> Bool {
        try db.query(
            """
            INSERT OR IGNORE INTO entries(feed_id, entry_key, url, title, published, seen, article_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .int(feedID), .text(key), .of(url), .of(title), .of(published), .double(Date().timeIntervalSince1970),
                .int(article),
            ])
        return db.changes > 0
    }

    /// Merges stories `from` into story `into`: their articles move, their rows go, and each merged id is recorded
    /// so that `resolveStory` leads to `into` (ids merged into one of them earlier too).
    public func mergeStories(_ from: [Int64], into: Int64) throws {
        let others = from.filter { $0 != into }
        guard !others.isEmpty else { return }
        try db.transaction {
            let now = Date().timeIntervalSince1970
            for o in others {
                try db.query("UPDATE articles SET story_id = ? WHERE story_id = ?", [.int(into), .int(o)])
                try db.query("UPDATE story_merges SET into_id = ? WHERE into_id = ?", [.int(into), .int(o)])
                try db.query(
                    "INSERT OR REPLACE INTO story_merges(from_id, into_id, at) VALUES (?, ?, ?)",
                    [.int(o), .int(into), .double(now)])
                try db.query("DELETE FROM stories WHERE id = ?", [.int(o)])
            }
            try refreshStory(into, updated: now)
        }
    }

    /// Recomputes a story's time span and article count from its articles.
    func refreshStory(_ id: Int64, updated: Double) throws {
        try db.query(
            """
            UPDATE stories SET first_seen = (SELECT min(coalesce(published, grouped_at, added)) FROM articles WHERE story_id = ?1),
              last_seen = (SELECT max(coalesce(published, grouped_at, added)) FROM articles WHERE story_id = ?1),
              article_count = (SELECT count(*) FROM articles WHERE story_id = ?1), updated = ?2
            WHERE id = ?1
            """, [.int(id), .double(updated)])
    }

    /// The story `id` is now: itself, or the story it was merged into.
    public func resolveStory(_ id: Int64) throws -> Int64 {
        try db.query("SELECT into_id FROM story_merges WHERE from_id = ?", [.int(id)]).first?.int(0) ?? id
    }

    /// The highest story id in use.
    public func maxStoryID() throws -> Int64 {
        try db.query(
            """
            SELECT max((SELECT coalesce(max(id), 0) FROM stories), (SELECT coalesce(max(from_id), 0) FROM story_merges))
            """
        ).first?.int(0) ?? 0
    }

    // MARK: - Reading

    /// Stories, most recently updated first.
    public func stories(limit: Int = 50) throws -> [StoryView] {
        try stories(filter: ArticleFilter(limit: limit))
    }

    /// One story with its articles (and their text when `withText`).
    public func story(id: Int64, withText: Bool = true) throws -> StoryView? {
        try storiesWithArticles(
            "SELECT id, title, updated, first_seen, last_seen FROM stories WHERE id = ?", [.int(id)], withText: withText
        ).first
    }

    /// The stories `storySQL` selects (id, title, updated, first_seen, last_seen), newest first, each with its
    /// articles oldest first, in one statement: a page of 50 stories is one query, not 51.
    func storiesWithArticles(_ storySQL: String, _ values: [SQLValue], withText: Bool) throws -> [StoryView] {
        let columns = Store.articleColumns(text: withText).dropFirst("SELECT ".count)
        var stories: [StoryView] = []
        try db.forEach(
            """
            WITH page AS MATERIALIZED (\(storySQL))
            SELECT page.id, page.title, page.updated, page.first_seen, page.last_seen, \(columns)
            FROM page LEFT JOIN articles a ON a.story_id = page.id
            ORDER BY page.last_seen DESC, page.id DESC, coalesce(a.published, a.added), a.id
            """, values
        ) { r in
            let id = r.int(0) ?? 0
            if stories.last?.id != id {
                stories.append(
                    StoryView(
                        id: id, title: r.text(1), updated: r.date(2), firstSeen: r.date(3), articles: [],
                        lastSeen: r.date(4)))
            }
            if r.int(5) != nil { stories[stories.count - 1].articles.append(Store.articleView(r, from: 5)) }
        }
        return stories
    }

    /// Runs `body` with every statement in it stopped once `seconds` have passed (a reader's request is bounded in
    /// time); a stopped statement throws a `StoreError` whose `isInterrupted` is true.
    public func withTimeLimit<T>(_ seconds: Double, _ body: () throws -> T) throws -> T {
        try db.withTimeLimit(seconds, body)
    }

    /// Counts of what the store holds.
    public func counts() throws -> (feeds: Int, articles: Int, stories: Int) {
        let r = try db.query(
            "SELECT (SELECT count(*) FROM feeds), (SELECT count(*) FROM articles), (SELECT count(*) FROM stories)")
        return (Int(r[0].int(0) ?? 0), Int(r[0].int(1) ?? 0), Int(r[0].int(2) ?? 0))
    }

    /// Matches ranked per query: the newest this many; ranking every match of a common word in a million
    /// articles takes seconds, and in news the newest matches are the ones wanted.
    public static let searchWindow = 500

    /// Longest search query, in bytes, and most words in one: 4 000 words took 6 s on three articles, and
    /// `m* OR m* …` 20 000 times over 6 GB; no reader's question needs more.
    public static let searchMaxBytes = 1000, searchMaxWords = 32
    /// Seconds a search may run before it is stopped.
    public static let searchTimeLimit: Double = 3

    /// Full-text search over titles and clean text (diacritics folded): among the newest matches, the best
    /// (BM25, title and text) first, with a snippet each. A query too long, too many words or too slow is refused
    /// with one line that says which.
    /// `marks` go around the matched words in the snippet.
    public func search(
        _ query: String, limit: Int = 20, marks: (open: String, close: String) = ("[", "]")
    ) throws -> [(article: ArticleView, story: Int64, snippet: String)] {
        let shown = query.count > 60 ? String(query.prefix(60)) + "…" : query
        guard query.utf8.count <= Store.searchMaxBytes else {
            throw StoreError("cannot search for \"\(shown)\": the query is longer than \(Store.searchMaxBytes) bytes")
        }
        let words = query.split(whereSeparator: { $0.isWhitespace }).count
        guard words <= Store.searchMaxWords else {
            throw StoreError("cannot search for \"\(shown)\": \(words) words; at most \(Store.searchMaxWords)")
        }
        let limit = max(1, min(limit, Store.searchWindow))
        do {
            return try db.withTimeLimit(Store.searchTimeLimit) {
                // One statement: the newest matches, the best of them, and a snippet of each.
                try db.query(
                    """
                    WITH recent AS (
                      SELECT rowid AS id, rank FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2
                    ), best AS (SELECT id, rank FROM recent ORDER BY rank LIMIT ?3)
                    SELECT a.id, a.title, a.url, a.source, a.published, a.author, a.lang, a.story_id,
                      snippet(articles_fts, 1, ?4, ?5, '…', 12)
                    FROM best JOIN articles_fts ON articles_fts.rowid = best.id JOIN articles a ON a.id = best.id
                    WHERE articles_fts MATCH ?1 ORDER BY best.rank
                    """,
                    [
                        .text(query), .int(Int64(Store.searchWindow)), .int(Int64(limit)), .text(marks.open),
                        .text(marks.close),
                    ]
                ).map { r in
                    (
                        ArticleView(
                            id: r.int(0) ?? 0, title: r.text(1), url: r.text(2), source: r.text(3),
                            published: r.date(4), author: r.text(5), language: r.text(6), text: nil,
                            storyID: r.int(7)), r.int(7) ?? 0, r.text(8) ?? ""
                    )
                }
            }
        } catch let e as StoreError where e.code & 0xFF == 9 {  // SQLITE_INTERRUPT: the time limit
            throw StoreError(
                "cannot search for \"\(shown)\": it took longer than \(Int(Store.searchTimeLimit)) s; use fewer words or longer prefixes"
            )
        } catch let e as StoreError where e.code & 0xFF == 1 {  // SQLITE_ERROR: the query itself is malformed
            var reason = e.message
            if reason.hasPrefix(path + ": ") { reason.removeFirst(path.count + 2) }
            if reason.hasPrefix("fts5: ") { reason.removeFirst(6) }
            reason = reason.trimmingCharacters(in: .whitespaces)
            if reason.isEmpty || reason == "syntax error near \"\"" {
                reason = "the query ends where a word or phrase was expected"
            }
            if reason.hasPrefix("unknown special query") {
                reason = "a * ends a word's prefix (prefix*), it is not a word"
            }
            throw StoreError("cannot search for \"\(shown)\": \(reason) (words, \"a phrase\", prefix*, AND/OR/NOT)")
        }
    }

    // MARK: - Site template memory

    /// The template memory of `host`: block fingerprints with the number of pages they appeared on, and the
    /// fingerprints of the pages it learned from lately.
    public func template(host: String) throws -> (pages: Int, counts: [UInt64: Int], seen: [UInt64]) {
        guard
            let r = try db.query("SELECT pages, counts, pages_seen FROM templates WHERE host = ?", [.text(host)]).first
        else {
            return (0, [:], [])
        }
        var seen: [UInt64] = []
        if let blob = r.blob(2) {
            blob.withUnsafeBytes { raw in
                for i in 0..<(raw.count / 8) {
                    seen.append(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                }
            }
        }
        var counts: [UInt64: Int] = [:]
        if let blob = r.blob(1) {
            blob.withUnsafeBytes { raw in
                let n = raw.count / 12
                for i in 0..<n {
                    let key = raw.loadUnaligned(fromByteOffset: i * 12, as: UInt64.self)
                    let count = raw.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self)
                    counts[UInt64(littleEndian: key)] = Int(UInt32(littleEndian: count))
                }
            }
        }
        return (Int(r.int(0) ?? 0), counts, seen)
    }

    /// Saves the template memory of `host`, keeping its most frequent blocks.
    public func saveTemplate(
        host: String, pages: Int, counts: [UInt64: Int], seen: [UInt64] = [], keep: Int = 4000
    ) throws {
        var data = Data()
        let kept = counts.count > keep ? Array(counts.sorted { $0.value > $1.value }.prefix(keep)) : Array(counts)
        data.reserveCapacity(kept.count * 12)
        for (k, v) in kept {
            withUnsafeBytes(of: k.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(min(v, Int(UInt32.max))).littleEndian) { data.append(contentsOf: $0) }
        }
        var seenData = Data(capacity: seen.count * 8)
        for f in seen { withUnsafeBytes(of: f.littleEndian) { seenData.append(contentsOf: $0) } }
        try db.query(
            """
            INSERT INTO templates(host, pages, counts, pages_seen) VALUES (?, ?, ?, ?) ON CONFLICT(host) DO UPDATE
            SET pages = excluded.pages, counts = excluded.counts, pages_seen = excluded.pages_seen
            """,
            [.text(host), .int(Int64(pages)), .blob(data), .blob(seenData)])
    }
}
