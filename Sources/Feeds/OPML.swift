import Foundation
import Markup

/// One feed in an OPML subscription list.
public struct OPMLFeed: Sendable, Equatable {
    /// The feed's address (`xmlUrl`).
    public var url: String
    /// Its name (`title`, else `text`).
    public var title: String?
    /// The site it belongs to (`htmlUrl`).
    public var site: String?
    /// The folders it sits in, outermost first (Miniflux and FreshRSS categories).
    public var folders: [String]

    /// Makes an entry.
    public init(url: String, title: String? = nil, site: String? = nil, folders: [String] = []) {
        self.url = url
        self.title = title
        self.site = site
        self.folders = folders
    }
}

/// Reads and writes OPML 1.0/2.0 subscription lists, as feed readers export them.
public enum OPML {
    /// The feeds of an OPML document, in document order, however deeply the folders nest.
    public static func parse(_ data: Data) throws -> [OPMLFeed] {
        do {
            return try XMLReader.read(data: data, url: nil, recover: true) { reader in
                var feeds: [OPMLFeed] = []
                var folders: [(depth: Int, name: String)] = []
                var sawRoot = false
                while try reader.read() {
                    guard reader.kind == .element else { continue }
                    if !sawRoot {
                        guard reader.localName.lowercased() == "opml" else {
                            throw FeedError("not an OPML file: the root element is <\(reader.localName)>")
                        }
                        sawRoot = true
                    }
                    guard reader.localName == "outline" else { continue }
                    while let last = folders.last, last.depth >= reader.depth { folders.removeLast() }
                    let title = (reader.attribute("title") ?? reader.attribute("text")).map(\.trimmed).flatMap {
                        $0.isEmpty ? nil : $0
                    }
                    if let url = (reader.attribute("xmlUrl") ?? reader.attribute("xmlurl"))?.trimmed, !url.isEmpty {
                        feeds.append(
                            OPMLFeed(
                                url: url, title: title, site: reader.attribute("htmlUrl")?.trimmed,
                                folders: folders.map(\.name)))
                    } else if !reader.isEmptyElement {
                        folders.append((reader.depth, title ?? ""))
                    }
                }
                guard sawRoot else { throw FeedError("not an OPML file: empty document") }
                return feeds
            }
        } catch let e as XMLReadError {
            throw FeedError("not a readable OPML file: \(e)")
        }
    }

    /// An OPML 2.0 document listing `feeds` (grouped in folders when they have one).
    public static func document(_ feeds: [OPMLFeed], title: String, created: Date = Date()) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n"
        out +=
            "    <title>\(escape(title))</title>\n    <dateCreated>\(rfc822(created))</dateCreated>\n  </head>\n  <body>\n"
        var byFolder: [(String?, [OPMLFeed])] = []
        for f in feeds {
            let folder = f.folders.last
            if let i = byFolder.firstIndex(where: { $0.0 == folder }) {
                byFolder[i].1.append(f)
            } else {
                byFolder.append((folder, [f]))
            }
        }
        for (folder, list) in byFolder {
            let indent = folder == nil ? "    " : "      "
            if let folder { out += "    <outline text=\"\(escape(folder))\" title=\"\(escape(folder))\">\n" }
            for f in list {
                let name = escape(f.title ?? f.url)
                out += "\(indent)<outline type=\"rss\" text=\"\(name)\" title=\"\(name)\" xmlUrl=\"\(escape(f.url))\""
                if let site = f.site { out += " htmlUrl=\"\(escape(site))\"" }
                out += "/>\n"
            }
            if folder != nil { out += "    </outline>\n" }
        }
        return out + "  </body>\n</opml>\n"
    }

    /// Text for an OPML attribute or element (line feeds kept as references).
    static func escape(_ s: String) -> String { MarkupEscape.escape(s, newlinesAsReferences: true) }

    static func rfc822(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: d)
    }
}

/// Finds the feeds a web page announces with `<link rel="alternate">`.
public enum FeedDiscovery {
    /// Feed addresses announced in the page's head, absolute, in page order.
    public static func feeds(inPage data: Data, url: String, charset: String? = nil) -> [(url: String, title: String?)]
    {
        let doc = HTMLDocument(data: data, url: url, encoding: charset)
        let types: Set<String> = [
            "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
            "application/json", "application/x.atom+xml", "text/xml", "application/xml",
        ]
        var seen = Set<String>()
        return doc.root.descendants { node in
            guard node.name == "link", let rel = node.attribute("rel")?.lowercased(),
                rel.split(separator: " ").contains("alternate"),
                let type = node.attribute("type")?.lowercased().split(separator: ";").first.map({ String($0).trimmed })
            else { return false }
            return types.contains(type) && (type != "application/json" || rel.contains("alternate"))
        }.compactMap { node -> (url: String, title: String?)? in
            guard let href = node.attribute("href")?.trimmed, !href.isEmpty else { return nil }
            let absolute = URLResolver.resolve(href, against: url)
            guard seen.insert(absolute).inserted else { return nil }
            return (absolute, node.attribute("title"))
        }
    }
}
