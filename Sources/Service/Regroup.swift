import Foundation
import Store
import Stories

/// Rebuilds the stories of a store with the current grouping model and settings, as if its articles had come in
/// publication order under this version: a user who upgrades gets the better grouping on what is already stored.
public enum Regroup {
    /// What a regroup changed.
    public struct Report: Sendable {
        /// Articles regrouped.
        public var articles = 0
        /// Stories they now form.
        public var stories = 0
        /// Old stories left without articles; their ids now resolve to the story that took most of them.
        public var retired = 0
    }

    /// Regroups the articles published or stored since `since` (all of them when nil), in one transaction.
    public static func run(store: Store, settings: ClusterSettings, since: Date?) throws -> Report {
        let lock = try DatabaseLock(database: store.path)  // a running daemon would keep grouping with its old index
        defer { withExtendedLifetime(lock) {} }
        let articles = try store.articlesForIndex(since: since ?? Date(timeIntervalSince1970: 0))
        let index = StoryIndex(settings: settings)
        index.continueNumbering(after: try store.maxStoryID())  // new ids: an old id keeps meaning its old story
        var placed: [(id: Int64, assignment: StoryAssignment)] = []
        placed.reserveCapacity(articles.count)
        var merges = StoryMerges()
        var titles: [Int64: String] = [:]
        for a in articles {
            let assignment = index.assign(
                ClusterDocument(
                    id: String(a.id), url: a.url, source: a.source, title: a.title,
                    text: a.text, published: a.published))
            merges.record(assignment)
            if assignment.representative, let t = a.title { titles[assignment.story] = t }
            placed.append((a.id, assignment))
        }
        // A merged story's title goes with it only when the surviving story has none of its own.
        for (from, into) in merges.merged { if let t = titles[from], titles[into] == nil { titles[into] = t } }
        let moved = placed.map { p in
            RegroupedArticle(
                id: p.id, story: merges.resolve(p.assignment.story), reason: p.assignment.reason.rawValue,
                similarity: p.assignment.similarity, copyOf: p.assignment.copyOf.flatMap { Int64($0) })
        }
        let (stories, retired) = try store.applyRegroup(moved, titles: titles)
        return Report(articles: moved.count, stories: stories, retired: retired)
    }
}
