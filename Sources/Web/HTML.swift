import Foundation
import Markup

/// Building pages: escaping and the frame every page shares. Article text and titles come from the feeds and
/// pages of strangers: everything that is not this file's own markup goes through `escape`.
enum HTML {
    /// `s` safe in element text and in quoted attribute values.
    static func escape(_ s: String) -> String { MarkupEscape.escape(s) }

    /// An address a link may point to: http and https only (never `javascript:` or `data:`), escaped.
    static func href(_ url: String?) -> String? {
        guard let url, let scheme = url.split(separator: ":", maxSplits: 1).first?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return nil }
        return escape(url)
    }

    /// A query string from names and values (empty ones left out), percent-encoded.
    static func query(_ pairs: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let parts = pairs.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// A time for people (UTC, to the minute) inside a `<time>` that machines read.
    static func time(_ d: Date?) -> String {
        guard let d else { return "" }
        let iso = FeedDate.rfc3339(d)
        let shown = iso.prefix(16).replacingOccurrences(of: "T", with: " ") + " UTC"
        return "<time datetime=\"\(iso)\">\(shown)</time>"
    }

    /// Text with line breaks as paragraphs.
    static func paragraphs(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { out += "<p>\(escape(t))</p>\n" }
        }
        return out
    }

    /// Which section of the site a page belongs to (marked in the navigation).
    enum Section { case stories, feeds, search, none }

    /// A whole page: `body` (markup built by the caller, escaped where it came from outside) in the frame.
    static func page(title: String, section: Section, query: String = "", body: String) -> String {
        func nav(_ href: String, _ label: String, _ s: Section) -> String {
            "<a href=\"\(href)\"\(s == section ? " aria-current=\"page\"" : "")>\(label)</a>"
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="referrer" content="no-referrer">
            <title>\(escape(title)) · tidings</title>
            <link rel="stylesheet" href="/style.css">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
            <nav aria-label="Site">
            <a class="brand" href="/">tidings</a>
            \(nav("/", "Stories", .stories))
            \(nav("/feeds", "Feeds", .feeds))
            </nav>
            <form class="search" role="search" action="/search" method="get">
            <label for="q" class="hidden">Search articles</label>
            <input id="q" name="q" type="search" value="\(escape(query))" placeholder="Search articles" maxlength="1000">
            <button type="submit">Search</button>
            </form>
            </header>
            <main id="main">
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// The one style sheet: readable line length, system fonts, light and dark, large tap targets on phones.
    static let styleSheet = """
        :root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfc; --muted: #5c5c5c; --line: #dcdcdc;
          --accent: #0b57d0; --mark: #fff1a8; --error: #a30000; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e8e6e3; --bg: #141414; --muted: #a8a8a8; --line: #333; --accent: #8ab4f8; --mark: #5c4b00;
            --error: #ff8a80; }
        }
        * { box-sizing: border-box; }
        html { font-size: 100%; -webkit-text-size-adjust: 100%; }
        body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.55;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
          outline: 3px solid var(--accent); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; z-index: 1; }
        .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        header.site { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; justify-content: space-between;
          padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
        header.site nav { display: flex; gap: 1rem; align-items: baseline; }
        header.site nav a { text-decoration: none; padding: .25rem 0; }
        header.site nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: .3em; }
        .brand { font-weight: 700; font-size: 1.2rem; color: var(--fg) !important; }
        form.search { display: flex; gap: .4rem; flex: 1 1 16rem; max-width: 28rem; }
        input, select, button { font: inherit; padding: .4rem .6rem; border: 1px solid var(--line); border-radius: 6px;
          background: var(--bg); color: var(--fg); min-height: 2.5rem; }
        input[type="search"] { flex: 1; min-width: 0; }
        button { cursor: pointer; }
        main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0; }
        h2 { font-size: 1.2rem; line-height: 1.3; margin: 0 0 .25rem; }
        .meta, .byline { color: var(--muted); font-size: .92rem; margin: .2rem 0; }
        ol.stories, ol.results { list-style: none; padding: 0; margin: 0; }
        ol.stories > li, ol.results > li { padding: .9rem 0; border-bottom: 1px solid var(--line); }
        ol.stories h2 a, ol.results h2 a { text-decoration: none; color: var(--fg); }
        ol.stories h2 a:hover, ol.results h2 a:hover { text-decoration: underline; }
        .outlets { font-size: .92rem; margin: .2rem 0; }
        ol.toc { margin: .75rem 0 1rem; padding-left: 1.4rem; font-size: .95rem; }
        ol.toc li { margin: .2rem 0; }
        article.report { border-top: 2px solid var(--line); padding: 1rem 0; }
        article.report .text p { margin: 0 0 .8rem; }
        details.copies { margin: .5rem 0 0; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: 6px; }
        details.copies summary { cursor: pointer; color: var(--muted); }
        details.copies ul { margin: .5rem 0 0; padding-left: 1.2rem; }
        mark { background: var(--mark); color: inherit; }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0 1rem; }
        form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        form.filters input { width: 8rem; }
        .pager { margin: 1.25rem 0; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; padding: .45rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        td.url { word-break: break-all; }
        .error { color: var(--error); }
        .notice { border-left: 4px solid var(--line); padding: .25rem .75rem; color: var(--muted); }
        @media (max-width: 40rem) {
          main { padding: .75rem; }
          h1 { font-size: 1.35rem; }
          table.feeds th:nth-child(3), table.feeds td:nth-child(3) { display: none; }
        }

        """
}
