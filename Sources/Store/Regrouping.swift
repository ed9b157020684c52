import Foundation

/// One article's place after the stories are rebuilt (`Store.applyRegroup`).
public struct RegroupedArticle: Sendable {
    /// The article.
    public var id: Int64
    /// Its new story.
    public var story: Int64
    /// Why it joined it.
    public var reason: String
    /// Similarity to the story.
    public var similarity: Double
    /// The article it copies, if it is a copy.
    public var copyOf: Int64?

    /// Makes a record.
    public init(id: Int64, story: Int64, reason: String, similarity: Double, copyOf: Int64?) {
        self.id = id
        self.story = story
        self.reason = reason
        self.similarity = similarity
        self.copyOf = copyOf
    }
}

extension Store {
    /// Moves articles to the stories a new grouping gave them, in one transaction: each new story is made with
    /// `titles[story]`, each old story left without articles is deleted and recorded as merged into the new
    /// story that took most of its articles (so an id a reader saved still resolves), and every story touched
    /// gets its span and count again. No article is added or lost.
    public func applyRegroup(
        _ articles: [RegroupedArticle], titles: [Int64: String]
    ) throws -> (stories: Int, retired: Int) {
        try db.transaction {
            let now = Date().timeIntervalSince1970
            var oldStories: [Int64: [Int64: Int]] = [:]  // old story → new story → articles
            for a in articles {
                let old = try db.query("SELECT story_id FROM articles WHERE id = ?", [.int(a.id)]).first?.int(0)
                if let old { oldStories[old, default: [:]][a.story, default: 0] += 1 }
                try db.query(
                    """
                    INSERT INTO stories(id, title, updated, article_count) VALUES (?1, ?2, ?3, 0)
                    ON CONFLICT(id) DO UPDATE SET title = coalesce(excluded.title, title)
                    """, [.int(a.story), .of(titles[a.story]), .double(now)])
                try db.query(
                    "UPDATE articles SET story_id = ?, reason = ?, similarity = ?, copy_of = ? WHERE id = ?",
                    [.int(a.story), .text(a.reason), .double(a.similarity), .of(a.copyOf), .int(a.id)])
            }
            var retired = 0
            for (old, into) in oldStories {
                let left =
                    try db.query("SELECT count(*) FROM articles WHERE story_id = ?", [.int(old)]).first?.int(0) ?? 0
                if left > 0 {
                    try refreshStory(old, updated: now)
                    continue
                }
                // The new story that took most of the old one's articles (the lowest id among equals).
                let target = into.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
                guard target != old else { continue }
                try db.query("UPDATE story_merges SET into_id = ? WHERE into_id = ?", [.int(target), .int(old)])
                try db.query(
                    "INSERT OR REPLACE INTO story_merges(from_id, into_id, at) VALUES (?, ?, ?)",
                    [.int(old), .int(target), .double(now)])
                try db.query("DELETE FROM stories WHERE id = ?", [.int(old)])
                retired += 1
            }
            let touched = Set(articles.map(\.story))
            for s in touched { try refreshStory(s, updated: now) }
            return (touched.count, retired)
        }
    }
}
