import Foundation
import Lexicon
import Markup

/// The headline and byline a page declares for itself, read the way Mozilla's Readability reads it (the reference the
/// metadata eval's truth comes from, and the title readers of Firefox's reader view see): the JSON-LD article's
/// name or headline, then the Dublin Core, OpenGraph, Weibo, plain, Twitter and Parse.ly title tags, then the
/// document's `<title>` cut at its site separator and checked against the page's headings. A declared headline
/// is never a skip link, a login box or a caption, which the first heading-shaped block of a page can be.
enum DeclaredMetadata {
    /// The page's declared title, or nil when it declares none (no tags and no `<title>`).
    static func of(_ doc: HTMLDocument, _ structured: StructuredData) -> String? {
        if let t = jsonLD(structured, doc), !t.isEmpty { return t }
        for key in [
            "dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title", "title",
            "twitter:title", "parsely-title",
        ] {
            if let t = structured.titleTags[key], !t.isEmpty { return t }
        }
        return documentTitle(doc, structured)
    }

    /// The JSON-LD article's title: its `name` or `headline`; when both are given and differ, the one that reads
    /// like the document's `<title>`.
    private static func jsonLD(_ s: StructuredData, _ doc: HTMLDocument) -> String? {
        switch (s.jsonLDName, s.jsonLDHeadline) {
        case (let name?, let headline?) where name != headline:
            let title = documentTitle(doc, s) ?? ""
            let headlineMatches = similarity(headline, title) > 0.75
            return headlineMatches && similarity(name, title) <= 0.75 ? headline : name
        case (let name?, _): return name
        case (nil, let headline?): return headline
        case (nil, nil): return nil
        }
    }

    /// Separators between a headline and its site in a `<title>`; the last four say the title is a path.
    private static let separators = [" | ", " - ", " \\ ", " / ", " > ", " » "]
    private static let hierarchical = [" \\ ", " / ", " > ", " » "]

    /// The `<title>` as a headline: cut before its last separator (or after its first, when that leaves too
    /// little), or after a colon unless a heading spells the whole; a title too short or too long gives way to
    /// the page's only `<h1>`; a cut that leaves four words or fewer is undone.
    static func documentTitle(_ doc: HTMLDocument, _ s: StructuredData) -> String? {
        guard let original = s.documentTitle, !original.isEmpty else { return nil }
        func words(_ t: String) -> Int { t.split(whereSeparator: { $0.isWhitespace }).count }
        var title = original
        var hadHierarchy = false
        let cuts = separators.compactMap { original.range(of: $0, options: .backwards) }
        if let last = cuts.max(by: { $0.lowerBound < $1.lowerBound }) {
            hadHierarchy = hierarchical.contains { original.contains($0) }
            title = String(original[..<last.lowerBound])
            if words(title) < 3 {
                // The first part too short: drop it instead (up to and including the first separator character).
                if let first = original.firstIndex(where: { "|-\\/>»".contains($0) }) {
                    title = String(original[original.index(after: first)...])
                }
            }
        } else if original.contains(": ") {
            let headings = doc.root.descendants { $0.name == "h1" || $0.name == "h2" }
            if !headings.contains(where: { $0.textContent.trimmed == original }) {
                let last = original.range(of: ":", options: .backwards)!
                title = String(original[last.upperBound...])
                let first = original.range(of: ":")!
                if words(title) < 3 {
                    title = String(original[first.upperBound...])
                } else if words(String(original[..<first.lowerBound])) > 5 {
                    title = original
                }
            }
        } else if original.count > 150 || original.count < 15 {
            let h1s = doc.root.descendants { $0.name == "h1" }
            if h1s.count == 1 { title = h1s[0].textContent }
        }
        title = HTMLText.collapseSpaces(title)
        let count = words(title)
        if count <= 4,
            !hadHierarchy || count != words(original.filter { !"|-\\/>»".contains($0) }) - 1
        {
            title = original
        }
        return title
    }

    /// Share of `b`'s words (as Readability splits them), by length, that are also in `a`.
    static func similarity(_ a: String, _ b: String) -> Double {
        func tokens(_ s: String) -> [Substring] {
            s.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
        }
        let ta = Set(tokens(a))
        let tb = tokens(b)
        guard !ta.isEmpty, !tb.isEmpty else { return 0 }
        let unique = tb.filter { !ta.contains($0) }
        return 1 - Double(unique.joined(separator: " ").count) / Double(tb.joined(separator: " ").count)
    }

    /// The byline the page declares: its JSON-LD article's authors, else its `dc:creator`, `dcterm:creator`,
    /// `author`, `parsely-author` or `article:author` tag (Readability's order), a URL never; nil when it declares
    /// none, and the page's own byline line decides.
    static func byline(_ s: StructuredData) -> String? {
        if let b = s.jsonLDByline, !b.isEmpty { return b }
        for key in ["dc:creator", "dcterm:creator", "author", "parsely-author", "article:author"] {
            if let b = s.bylineTags[key], !b.isEmpty, !b.hasPrefix("http") { return b }
        }
        return nil
    }

    /// The page's byline element, as Readability finds it when nothing is declared: the first element whose class
    /// or id says byline, author, dateline or writtenby, or whose `itemprop` says author (its `itemprop` name
    /// inside, when it has one), and whose text is a line (under 100 characters) that reads as a byline ("By Jo
    /// Doe") or a name. (Readability also takes `rel="author"`; the parser is not handed `rel`, which links carry
    /// by the thousand, for that.)
    static func bylineElement(_ doc: HTMLDocument) -> String? {
        for found in doc.body.descendants(where: { n in
            (n.attribute("class").map(namesByline) ?? false) || (n.attribute("id").map(namesByline) ?? false)
                || (n.attribute("itemprop").map { Lexicon.contains(ignoringCase: authorWord, in: $0) } ?? false)
        }) {
            // Within a schema.org author, its name alone (not "Written by" or the author's job around it).
            let node =
                found.descendants(where: {
                    $0.attribute("itemprop").map { Lexicon.contains(ignoringCase: nameWord, in: $0) } ?? false
                })
                .first ?? found
            let line = HTMLText.collapseSpaces(node.textContent.replacingOccurrences(of: "\n", with: " "))
            // A line that reads as a byline or a name (initials alone are none): an "author" box can also hold a
            // teaser or a list.
            if !line.isEmpty, line.count < 100, Byline.isByline(line) || Byline.looksLikeName(line),
                line.filter(\.isLetter).count >= 5
            {
                return line
            }
        }
        return nil
    }

    /// Whether a class or id value holds "byline", "author", "dateline" or "writtenby", in any case; on bytes,
    /// without making a lower-case copy (it is asked of every element of a page).
    static func namesByline(_ value: String) -> Bool {
        var v = value
        return v.withUTF8 { b in bylineWords.contains { Lexicon.firstIndex(ofIgnoringCase: $0, in: b) != nil } }
    }

    private static let bylineWords = ["byline", "author", "dateline", "writtenby"].map { Array($0.utf8) }
    private static let authorWord = Array("author".utf8)
    private static let nameWord = Array("name".utf8)

}
