import Foundation
import Lexicon
import Markup

/// What a page says about itself: JSON-LD, OpenGraph and meta tags. Evidence, not truth.
struct StructuredData {
    var headline: String?
    var documentTitle: String?
    var author: String?
    var published: Date?
    var language: String?
    var articleBody: String?
    /// Title tags by Readability's names ("og:title", "dc:title", "title", "parsely-title"...): the last of each.
    var titleTags: [String: String] = [:]
    /// The first schema.org JSON-LD article's `name` and `headline`.
    var jsonLDName: String?
    var jsonLDHeadline: String?
    /// That article's author names, and the byline tags (`dc:creator`, `dcterm:creator`, `author`).
    var jsonLDByline: String?
    /// That article's `datePublished`, which Readability prefers to the tags.
    var jsonLDPublished: Date?
    var bylineTags: [String: String] = [:]

    /// The same evidence minus the headline (so the assembler looks for the title in the blocks itself).
    var withoutHeadline: StructuredData {
        var s = self
        s.headline = nil
        return s
    }

    /// The head's elements the HTML parser moved into the body: a head it closed early (at an element that belongs
    /// in a body, such as the tracking `<iframe>` a script put in the head of the page a crawler saved) leaves the
    /// rest of its elements at the start of the body, before anything a reader sees. Metas further down
    /// (microdata of the article or of teasers) are not read.
    static func strayHead(_ doc: HTMLDocument) -> [HTMLNode] {
        var stray: [HTMLNode] = []
        for child in doc.body.children {
            if child.isText {
                if child.text.allSatisfy(\.isWhitespace) { continue } else { break }
            }
            guard headElements.contains(child.name) else { break }
            stray.append(child)
        }
        return stray
    }

    private static let articleAuthor = Array("article:author".utf8)

    private static let headElements: Set<String> = [
        "meta", "link", "script", "style", "title", "base", "noscript", "template", "iframe",
    ]

    static func read(_ doc: HTMLDocument) -> StructuredData {
        var s = StructuredData()
        s.language = doc.root.attribute("lang")
        if let head = doc.head {
            let stray = strayHead(doc)
            // The title element's own text (textContent skips a <title>, as text a reader never sees in the page).
            if let t = head.first("title") ?? stray.first(where: { $0.name == "title" }) {
                let text = HTMLText.collapseSpaces(t.children.filter(\.isText).map(\.text).joined())
                if !text.isEmpty { s.documentTitle = text }
            }
            for meta in head.descendants(where: { $0.name == "meta" }) + stray.filter({ $0.name == "meta" }) {
                let key = (meta.attribute("property") ?? meta.attribute("name") ?? meta.attribute("itemprop") ?? "")
                    .lowercased()
                guard let content = meta.attribute("content"), !content.isEmpty else { continue }
                if let name = titleTag(property: meta.attribute("property"), name: meta.attribute("name")) {
                    s.titleTags[name] = HTMLText.collapseSpaces(content)
                }
                if let name = meta.attribute("name")?.lowercased().replacingOccurrences(of: ".", with: ":"),
                    ["dc:creator", "dcterm:creator", "author", "parsely-author"].contains(name)
                {
                    s.bylineTags[name] = HTMLText.collapseSpaces(content)
                }
                // `article:author` as a property, also inside a longer one ("og:article:author"), as Readability
                // reads the property's namespaced words.
                if let property = meta.attribute("property"),
                    Lexicon.contains(ignoringCase: articleAuthor, in: property)
                {
                    s.bylineTags["article:author"] = HTMLText.collapseSpaces(content)
                }
                switch key {
                case "og:title", "twitter:title": if s.headline == nil { s.headline = HTMLText.collapseSpaces(content) }
                case "author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author":
                    if s.author == nil, !content.hasPrefix("http") { s.author = HTMLText.collapseSpaces(content) }
                case "article:published_time", "datepublished", "date", "dc.date", "pubdate", "publishdate",
                    "sailthru.date", "parsely-pub-date", "og:published_time":
                    if s.published == nil { s.published = Article.plausible(FeedDate.parse(content)) }
                case "og:locale", "content-language", "language":
                    if s.language == nil { s.language = content }
                default: break
                }
            }
        }
        var readJSONLDTitle = false
        for script in doc.root.descendants(where: {
            $0.name == "script" && ($0.attribute("type") ?? "").containsBytes("ld+json")
        }) {
            // A CDATA wrapper around the JSON (pages written for XHTML) is not part of it.
            var json = script.children.map(\.text).joined().trimmed
            if json.hasPrefix("<![CDATA["), json.hasSuffix("]]>") { json = String(json.dropFirst(9).dropLast(3)) }
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
                        s.published = Article.plausible(FeedDate.parse(d))
                    }
                }
                continue
            }
            if !readJSONLDTitle {
                readJSONLDTitle = readabilityTitle(object, into: &s)
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
                if s.published == nil, let d = node["datePublished"] as? String {
                    s.published = Article.plausible(FeedDate.parse(d))
                }
                if isArticle, let a = personName(node["author"]) { s.author = a }
                if s.language == nil, let l = node["inLanguage"] as? String { s.language = l }
            }
        }
        return s
    }

    /// The name Readability files a `<meta>` title under, or nil for a tag that is no title: `property` as
    /// `article|dc|dcterm|og|twitter:title`, `name` as `title` with an optional `dc`, `dcterm`, `og`,
    /// `twitter`, `parsely` or `weibo:article|webpage` prefix (dots read as colons).
    static func titleTag(property: String?, name: String?) -> String? {
        if let property {
            for part in property.lowercased().split(separator: " ") {
                let p = part.filter { !$0.isWhitespace }
                if ["article:title", "dc:title", "dcterm:title", "og:title", "twitter:title"].contains(p) { return p }
            }
        }
        guard let name else { return nil }
        let n = name.lowercased().filter { !$0.isWhitespace }.replacingOccurrences(of: ".", with: ":")
        let known = [
            "title", "dc:title", "dcterm:title", "og:title", "twitter:title", "parsely-title", "parsely:title",
            "weibo:article:title", "weibo:webpage:title", "dc-title", "dcterm-title", "og-title", "twitter-title",
        ]
        return known.contains(n) ? n : nil
    }

    /// Article types whose JSON-LD title Readability reads.
    static let articleTypes = [
        "Article", "BlogPosting", "DiscussionForumPosting", "LiveBlogPosting", "Report", "SocialMediaPosting",
    ]

    /// Reads the title of the first schema.org JSON-LD article (a top-level object, or the article in its
    /// `@graph`) as Readability does; true when this script was such a document, so later ones are not read.
    private static func readabilityTitle(_ object: Any, into s: inout StructuredData) -> Bool {
        guard let top = object as? [String: Any], let context = top["@context"] as? String,
            context.range(of: #"^https?://schema\.org/?$"#, options: .regularExpression) != nil
        else { return false }
        func isArticle(_ node: [String: Any]) -> Bool {
            typeNames(node["@type"]).contains { t in articleTypes.contains { t.contains($0) } }
        }
        var node = top
        if top["@type"] == nil, let graph = top["@graph"] as? [Any] {
            guard let article = graph.compactMap({ $0 as? [String: Any] }).first(where: isArticle) else { return false }
            node = article
        }
        guard isArticle(node) else { return false }
        s.jsonLDName = (node["name"] as? String).map { HTMLText.collapseSpaces($0) }
        s.jsonLDHeadline = (node["headline"] as? String).map { HTMLText.collapseSpaces($0) }
        if let d = node["datePublished"] as? String, let date = Article.plausible(FeedDate.parse(d)) {
            s.jsonLDPublished = date
        }
        // Its byline: the author's name, or the names of a list of authors.
        if let author = node["author"] as? [String: Any], let name = author["name"] as? String {
            s.jsonLDByline = HTMLText.collapseSpaces(name)
        } else if let authors = node["author"] as? [Any],
            (authors.first as? [String: Any])?["name"] is String
        {
            s.jsonLDByline = authors.compactMap { ($0 as? [String: Any])?["name"] as? String }
                .map { HTMLText.collapseSpaces($0) }.joined(separator: ", ")
        }
        return true
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
