import Feeds
import Foundation
import Markup
import Store
import Web

/// How stories, articles and feeds are written out.
enum Printer {
    static func storyLine(_ s: StoryView) {
        let sources = Set(s.articles.compactMap(\.source)).count
        print(
            "\(s.id)\t\(s.updated.map(FeedDate.rfc3339) ?? "-")\t\(s.articles.count) articles, \(sources) sources\t\(s.title ?? "(untitled)")"
        )
    }

    static func story(_ s: StoryView) {
        let sources = Set(s.articles.compactMap(\.source))
        print("Story \(s.id): \(s.title ?? "(untitled)")")
        print(
            "  \(s.articles.count) articles from \(sources.count) sources · updated \(s.updated.map(FeedDate.rfc3339) ?? "-")"
        )
        for (i, a) in s.articles.enumerated() {
            print("")
            let copy =
                a.copyOf.flatMap { c in s.articles.firstIndex { $0.id == c } }.map { " (a copy of [\($0 + 1)])" } ?? ""
            print("  [\(i + 1)] \(a.source ?? "unknown source") — \(a.title ?? "(untitled)")\(copy)")
            let meta = [a.published.map(FeedDate.rfc3339), a.author.map { "by \($0)" }, a.language, a.url].compactMap {
                $0
            }
            if !meta.isEmpty { print("      " + meta.joined(separator: " · ")) }
            for line in (a.text ?? "").split(separator: "\n") { print("      " + line) }
        }
        print("")
    }

    static func feedHeaderJSON(_ f: ParsedFeed) -> JSON {
        .object([
            ("title", .of(f.title)), ("link", .of(f.link)), ("self", .of(f.selfLink)), ("language", .of(f.language)),
            ("updated", .of(f.updated)),
        ])
    }

    static func entryJSON(_ e: FeedEntry) -> JSON {
        .object([
            ("id", .of(e.id)), ("title", .of(e.title)), ("link", .of(e.link)), ("published", .of(e.published)),
            ("updated", .of(e.updated)), ("author", .of(e.author)), ("summary", .of(e.summary)),
            ("content", .of(e.content)), ("categories", .array(e.categories.map { .string($0) })),
            (
                "enclosures",
                .array(
                    e.enclosures.map { x in
                        .object([
                            ("url", .string(x.url)), ("type", .of(x.type)),
                            ("length", x.length.map { .string(String($0)) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    static func feedJSON(_ f: ParsedFeed) -> JSON {
        .object([("feed", feedHeaderJSON(f)), ("entries", .array(f.entries.map(entryJSON)))])
    }
}
