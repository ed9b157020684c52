import Foundation
import Markup

/// What a page says about itself: JSON-LD, OpenGraph and meta tags. Evidence, not truth.
struct StructuredData {
    var headline: String?
    var documentTitle: String?
    var author: String?
    var published: Date?
    var language: String?
    var articleBody: String?

    /// The same evidence minus the headline (so the assembler looks for the title in the blocks itself).
    var withoutHeadline: StructuredData {
        var s = self
        s.headline = nil
        return s
    }

    static func read(_ doc: HTMLDocument) -> StructuredData {
        var s = StructuredData()
        s.language = doc.root.attribute("lang")
        if let head = doc.head {
            if let t = head.first("title") { s.documentTitle = HTMLText.collapseSpaces(t.textContent) }
            for meta in head.descendants(where: { $0.name == "meta" }) {
                let key = (meta.attribute("property") ?? meta.attribute("name") ?? meta.attribute("itemprop") ?? "")
                    .lowercased()
                guard let content = meta.attribute("content"), !content.isEmpty else { continue }
                switch key {
                case "og:title", "twitter:title": if s.headline == nil { s.headline = HTMLText.collapseSpaces(content) }
                case "author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author":
                    if s.author == nil, !content.hasPrefix("http") { s.author = HTMLText.collapseSpaces(content) }
                case "article:published_time", "datepublished", "date", "dc.date", "pubdate", "publishdate",
                    "sailthru.date", "parsely-pub-date", "og:published_time":
                    if s.published == nil { s.published = FeedDate.parse(content) }
                case "og:locale", "content-language", "language":
                    if s.language == nil { s.language = content }
                default: break
                }
            }
        }
        for script in doc.root.descendants(where: {
            $0.name == "script" && ($0.attribute("type") ?? "").containsBytes("ld+json")
        }) {
            let json = script.children.map(\.text).joined()
            guard let data = json.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else {
                // Broken JSON-LD is common (comments, stray braces): read the string members directly.
                if json.contains("Article") || json.contains("BlogPosting") {
                    if s.articleBody == nil, let b = looseString("articleBody", in: json), b.count > 200 {
                        s.articleBody = b
                    }
                    if let h = looseString("headline", in: json), !h.isEmpty {
                        s.headline = HTMLText.plainText(fromHTML: h)
                    }
                    if s.published == nil, let d = looseString("datePublished", in: json) {
                        s.published = FeedDate.parse(d)
                    }
                }
                continue
            }
            for node in flatten(object) {
                let types = typeNames(node["@type"])
                guard
                    types.contains(where: {
                        $0.hasSuffix("Article") || $0 == "BlogPosting" || $0 == "Report" || $0 == "WebPage"
                    })
                else { continue }
                let isArticle = !types.contains("WebPage") || types.count > 1
                if isArticle, let h = node["headline"] as? String, !h.isEmpty {
                    s.headline = HTMLText.plainText(fromHTML: h)
                }
                if isArticle, let b = node["articleBody"] as? String, b.count > 200 { s.articleBody = b }
                if s.published == nil, let d = node["datePublished"] as? String { s.published = FeedDate.parse(d) }
                if isArticle, let a = personName(node["author"]) { s.author = a }
                if s.language == nil, let l = node["inLanguage"] as? String { s.language = l }
            }
        }
        return s
    }

    /// The JSON string literal that follows `"key":` in `text`, decoded; nil when there is none.
    static func looseString(_ key: String, in text: String) -> String? {
        guard let k = text.range(of: "\"\(key)\"") else { return nil }
        var i = k.upperBound
        let scalars = text.unicodeScalars
        while i < text.endIndex, scalars[i] == " " || scalars[i] == "\n" || scalars[i] == "\t" || scalars[i] == "\r" {
            i = scalars.index(after: i)
        }
        guard i < text.endIndex, scalars[i] == ":" else { return nil }
        i = scalars.index(after: i)
        while i < text.endIndex, scalars[i] == " " || scalars[i] == "\n" || scalars[i] == "\t" || scalars[i] == "\r" {
            i = scalars.index(after: i)
        }
        guard i < text.endIndex, scalars[i] == "\"" else { return nil }
        let start = i
        i = scalars.index(after: i)
        while i < text.endIndex {
            if scalars[i] == "\\" {
                i = scalars.index(after: i)
                if i < text.endIndex { i = scalars.index(after: i) }
                continue
            }
            if scalars[i] == "\"" { break }
            i = scalars.index(after: i)
        }
        guard i < text.endIndex else { return nil }
        let literal = String(text[start...i])
        guard let data = literal.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String
        else { return nil }
        return value
    }

    private static func flatten(_ object: Any) -> [[String: Any]] {
        var out: [[String: Any]] = []
        if let d = object as? [String: Any] {
            out.append(d)
            if let graph = d["@graph"] { out += flatten(graph) }
            if let main = d["mainEntity"] { out += flatten(main) }
        } else if let a = object as? [Any] {
            for x in a { out += flatten(x) }
        }
        return out
    }

    private static func typeNames(_ v: Any?) -> [String] {
        if let s = v as? String { return [s] }
        if let a = v as? [Any] { return a.compactMap { $0 as? String } }
        return []
    }

    private static func personName(_ v: Any?) -> String? {
        if let s = v as? String, !s.isEmpty, !s.hasPrefix("http") { return HTMLText.collapseSpaces(s) }
        if let d = v as? [String: Any], let n = d["name"] as? String, !n.isEmpty { return HTMLText.collapseSpaces(n) }
        if let a = v as? [Any] {
            let names = a.compactMap { personName($0) }
            if !names.isEmpty { return names.joined(separator: ", ") }
        }
        return nil
    }
}
