import Foundation
import Store

/// The server-rendered pages: one query each, no script needed to read.
enum Pages {
    /// Bytes of article text one page carries at most; past it, an article links to its source instead (a story
    /// of hundreds of long articles stays a page a phone can load).
    static let textBudget = 4 << 20

    /// The story list, newest first, with the filters that made it and a link to the next page.
    static func stories(_ stories: [StoryView], parameters p: Parameters, next: PageCursor?) -> String {
        var body = "<h1>Stories</h1>\n"
        body += """
            <form class="filters" action="/" method="get" aria-label="Filter stories">
            <label>Since<input name="since" value="\(HTML.escape(p["since"] ?? ""))" placeholder="24h, 7d, 2026-11-20"></label>
            <label>Language<input name="lang" value="\(HTML.escape(p["lang"] ?? ""))" placeholder="en"></label>
            <label>Category<input name="category" value="\(HTML.escape(p["category"] ?? ""))"></label>
            <label>Feed<input name="feed" value="\(HTML.escape(p["feed"] ?? ""))"></label>
            <button type="submit">Filter</button>
            </form>

            """
        if stories.isEmpty {
            body += "<p class=\"notice\">No stories\(p["cursor"] == nil ? "" : " after these") match.</p>\n"
        } else {
            body += "<ol class=\"stories\">\n"
            for s in stories {
                let outlets = Pages.outlets(s.articles)
                let copies = s.articles.filter { $0.copyOf != nil }.count
                body += """
                    <li><h2><a href="/stories/\(s.id)">\(HTML.escape(s.title ?? "(untitled)"))</a></h2>
                    <p class="meta">\(HTML.time(s.lastSeen ?? s.updated)) · \(count(s.articles.count, "article")) from \
                    \(count(outlets.count, "outlet"))\(copies > 0 ? " (\(count(copies, "copy", "copies")))" : "")</p>
                    <p class="outlets">\(outlets.prefix(8).map(HTML.escape).joined(separator: " · "))\
                    \(outlets.count > 8 ? " · …" : "")</p></li>

                    """
            }
            body += "</ol>\n"
        }
        if let next {
            let link = HTML.query(
                ["since", "feed", "lang", "category", "limit"].map { ($0, p[$0]) } + [("cursor", next.text)])
            body += "<p class=\"pager\"><a href=\"/\(link)\" rel=\"next\">Older stories →</a></p>\n"
        }
        return HTML.page(title: "Stories", section: .stories, body: body)
    }

    /// One story: every outlet's article with its byline, date and clean text; copies folded under the article
    /// they copy.
    static func story(_ s: StoryView) -> String {
        let outlets = Pages.outlets(s.articles)
        var body = """
            <h1>\(HTML.escape(s.title ?? "(untitled)"))</h1>
            <p class="meta">\(count(s.articles.count, "article")) from \(count(outlets.count, "outlet")) · \
            first \(HTML.time(s.firstSeen)) · updated \(HTML.time(s.updated))</p>

            """
        let ids = Set(s.articles.map(\.id))
        let reports = s.articles.filter { a in a.copyOf.map { !ids.contains($0) || $0 == a.id } ?? true }
        if reports.count > 1 {  // the outlets side by side: one line each, to jump to its report
            body += "<nav aria-label=\"Reports in this story\"><ol class=\"toc\">\n"
            for a in reports {
                body += "<li><a href=\"#a\(a.id)\">\(HTML.escape(a.source ?? "unknown source"))</a> — "
                body += "\(HTML.escape(a.title ?? "(untitled)"))</li>\n"
            }
            body += "</ol></nav>\n"
        }
        // A copy whose original is in the story goes under it; one whose original left (retention) stands alone.
        var copies: [Int64: [ArticleView]] = [:]
        for a in s.articles { if let o = a.copyOf, ids.contains(o), o != a.id { copies[o, default: []].append(a) } }
        var budget = textBudget
        for a in reports {
            let lang = a.language.map { " lang=\"\(HTML.escape($0))\"" } ?? ""
            body += "<article class=\"report\" id=\"a\(a.id)\"\(lang)>\n"
            body += "<h2>\(HTML.escape(a.title ?? "(untitled)"))</h2>\n"
            body += "<p class=\"byline\">\(byline(a))</p>\n"
            let text = a.text ?? ""
            if text.utf8.count <= budget {
                budget -= text.utf8.count
                body += "<div class=\"text\">\n\(HTML.paragraphs(text))</div>\n"
            } else {
                body += "<p class=\"notice\">This article's text is not shown here: the page is long enough already."
                body +=
                    HTML.href(a.url).map {
                        " <a href=\"\($0)\" rel=\"noopener noreferrer nofollow\">Read it at its source</a>."
                    } ?? ""
                body += "</p>\n"
            }
            if let list = copies[a.id] {
                body += "<details class=\"copies\"><summary>\(count(list.count, "copy", "copies")) of this article: "
                body += Pages.outlets(list).map(HTML.escape).joined(separator: ", ") + "</summary>\n<ul>\n"
                for c in list {
                    body += "<li id=\"a\(c.id)\">\(HTML.escape(c.title ?? "(untitled)")) — \(byline(c))</li>\n"
                }
                body += "</ul></details>\n"
            }
            body += "</article>\n"
        }
        return HTML.page(title: s.title ?? "Story \(s.id)", section: .none, body: body)
    }

    /// Search: the form's result list, or what was wrong with the query.
    static func search(
        query: String, hits: [(article: ArticleView, story: Int64, snippet: String)], error: String?
    ) -> String {
        var body = "<h1>Search</h1>\n"
        if let error {
            body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error))</p>\n"
        } else if query.isEmpty {
            body += "<p class=\"notice\">Words, \"a phrase\", prefix*, AND / OR / NOT; accents do not matter.</p>\n"
        } else if hits.isEmpty {
            body += "<p class=\"notice\">Nothing matches “\(HTML.escape(query))”.</p>\n"
        } else {
            body += "<ol class=\"results\">\n"
            for h in hits {
                let snippet = marked(h.snippet)
                body += """
                    <li><h2><a href="/stories/\(h.story)#a\(h.article.id)">\(HTML.escape(h.article.title ?? "(untitled)"))</a></h2>
                    <p class="byline">\(byline(h.article))</p>
                    <p>\(snippet)</p></li>

                    """
            }
            body += "</ol>\n"
        }
        return HTML.page(
            title: query.isEmpty ? "Search" : "Search: \(query)", section: .search, query: query, body: body)
    }

    /// The feeds, each with its state and last error.
    static func feeds(_ feeds: [FeedRecord]) -> String {
        var body = "<h1>Feeds</h1>\n"
        let failing = feeds.filter { $0.isActive && $0.lastError != nil }.count
        body += "<p class=\"meta\">\(count(feeds.count, "feed")), \(failing) failing at their last fetch.</p>\n"
        body += "<table class=\"feeds\">\n<thead><tr><th scope=\"col\">Feed</th><th scope=\"col\">State</th>"
        body += "<th scope=\"col\">Last fetch</th><th scope=\"col\">Next poll</th></tr></thead>\n<tbody>\n"
        for f in feeds {
            let state: String
            if f.removed {
                state = "removed from the configuration"
            } else if f.retired {
                state = "gone (HTTP 410)"
            } else if let e = f.lastError {
                state =
                    "<span class=\"error\">\(HTML.escape(e))</span>"
                    + (f.errorCount > 1 ? " (\(f.errorCount) times in a row)" : "")
            } else if let status = f.lastStatus {
                state = status == 304 ? "not modified" : "OK (\(status))"
            } else {
                state = "not fetched yet"
            }
            let name = f.title.map { "\(HTML.escape($0))<br>" } ?? ""
            body += "<tr><td class=\"url\">\(name)<small>\(HTML.escape(f.url))</small></td><td>\(state)</td>"
            body += "<td>\(HTML.time(f.lastFetch))</td><td>\(f.isActive ? HTML.time(f.nextPoll) : "–")</td></tr>\n"
        }
        body += "</tbody></table>\n"
        return HTML.page(title: "Feeds", section: .feeds, body: body)
    }

    /// An error the reader can act on: what was wrong, and a way back.
    static func error(_ status: Int, _ message: String) -> String {
        HTML.page(
            title: "Error \(status)", section: .none,
            body: "<h1>Error \(status)</h1>\n<p class=\"error\" role=\"alert\">\(HTML.escape(message))</p>\n"
                + "<p><a href=\"/\">Back to the stories</a></p>\n")
    }

    /// The token form of a server that requires one.
    static func login(_ message: String?) -> String {
        var body = "<h1>Token required</h1>\n"
        if let message { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(message))</p>\n" }
        body += """
            <p>This tidings server answers only readers with its token (<code>[http] token</code> in its configuration).</p>
            <form action="/login" method="post">
            <label for="token">Token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512">
            <button type="submit">Enter</button>
            </form>

            """
        return HTML.page(title: "Token required", section: .none, body: body)
    }

    /// A snippet whose matches the store put between \u{1} and \u{2} (characters no text keeps: escaping drops
    /// them), with each match in `<mark>` and everything else escaped.
    static func marked(_ snippet: String) -> String {
        var html = ""
        for (i, part) in snippet.split(separator: "\u{1}", omittingEmptySubsequences: false).enumerated() {
            guard i > 0 else {
                html += HTML.escape(String(part))
                continue
            }
            let pieces = part.split(separator: "\u{2}", maxSplits: 1, omittingEmptySubsequences: false)
            html += "<mark>\(HTML.escape(String(pieces[0])))</mark>"
            if pieces.count > 1 { html += HTML.escape(String(pieces[1])) }
        }
        return html
    }

    /// "source · by author · time · link".
    private static func byline(_ a: ArticleView) -> String {
        var parts: [String] = []
        parts.append("<strong>\(HTML.escape(a.source ?? "unknown source"))</strong>")
        if let author = a.author, !author.isEmpty { parts.append("by \(HTML.escape(author))") }
        if a.published != nil { parts.append(HTML.time(a.published)) }
        if let href = HTML.href(a.url) {
            parts.append("<a href=\"\(href)\" rel=\"noopener noreferrer nofollow\">original</a>")
        }
        return parts.joined(separator: " · ")
    }

    /// The distinct outlets of `articles`, in order of first appearance.
    static func outlets(_ articles: [ArticleView]) -> [String] {
        var seen = Set<String>()
        return articles.compactMap { a in
            let name = a.source ?? "unknown source"
            return seen.insert(name).inserted ? name : nil
        }
    }

    private static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) \(n == 1 ? one : (many ?? one + "s"))"
    }
}
