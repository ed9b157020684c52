import Foundation
import Store

/// The JSON shapes of what the store holds: the CLI's `--json` and the HTTP API write the same objects.
public enum Shapes {
    /// An article; its byline, language, copy link and text only `withText`.
    public static func article(_ a: ArticleView, withText: Bool) -> JSON {
        var pairs: [(String, JSON)] = [
            ("id", .int(a.id)), ("title", .of(a.title)), ("url", .of(a.url)), ("source", .of(a.source)),
            ("published", .of(a.published)), ("categories", .array(a.categories.map { .string($0) })),
        ]
        if withText {
            pairs += [
                ("author", .of(a.author)), ("lang", .of(a.language)), ("copy_of", .of(a.copyOf)), ("text", .of(a.text)),
            ]
        }
        return .object(pairs)
    }

    /// A story with its articles (oldest first).
    public static func story(_ s: StoryView, withText: Bool) -> JSON {
        .object([
            ("id", .int(s.id)), ("title", .of(s.title)), ("updated", .of(s.updated)),
            ("articles", .array(s.articles.map { article($0, withText: withText) })),
        ])
    }

    /// A feed and its fetch state.
    public static func feed(_ f: FeedRecord) -> JSON {
        .object([
            ("id", .int(f.id)), ("url", .string(f.url)), ("title", .of(f.title)), ("site", .of(f.site)),
            ("last_fetch", .of(f.lastFetch)), ("status", f.lastStatus.map { .int(Int64($0)) } ?? .null),
            ("error", .of(f.lastError)), ("errors_in_a_row", .int(Int64(f.errorCount))),
            ("next_poll", .of(f.nextPoll)), ("retired", .bool(f.retired)), ("removed", .bool(f.removed)),
        ])
    }

    /// One search hit: its story, the article (without text) and the matching passage, `[`…`]` around the words.
    public static func searchHit(story: Int64, article a: ArticleView, snippet: String) -> JSON {
        .object([("story", .int(story)), ("article", article(a, withText: false)), ("snippet", .string(snippet))])
    }

    /// What the store holds; `bytes` is the database's size on disk with its write-ahead log.
    public static func stats(feeds: Int, articles: Int, stories: Int, bytes: Int64) -> JSON {
        .object([
            ("feeds", .int(Int64(feeds))), ("articles", .int(Int64(articles))), ("stories", .int(Int64(stories))),
            ("duplicates_collapsed", .int(Int64(articles - stories))), ("bytes", .int(bytes)),
        ])
    }

    /// Bytes a database takes on disk: the file and its write-ahead log.
    public static func databaseBytes(_ path: String) -> Int64 {
        ["", "-wal"].reduce(0) {
            $0 + (((try? FileManager.default.attributesOfItem(atPath: path + $1)[.size]) as? NSNumber)?.int64Value ?? 0)
        }
    }
}
