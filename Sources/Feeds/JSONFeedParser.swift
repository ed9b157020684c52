import Foundation
import Markup

/// Reads JSON Feed 1.0 and 1.1 documents.
enum JSONFeedParser {
    static func parse(_ data: Data, url: String?) throws -> ParsedFeed {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw FeedError("not valid JSON (\(error.localizedDescription))")
        }
        guard let root = object as? [String: Any] else {
            throw FeedError("not a JSON Feed: the top level is not an object")
        }
        let version = root["version"] as? String ?? ""
        guard version.contains("jsonfeed.org") || root["items"] is [Any] else {
            throw FeedError("not a JSON Feed: no \"version\" naming jsonfeed.org and no \"items\" array")
        }
        let base = (root["feed_url"] as? String) ?? url
        var feed = ParsedFeed(format: version.hasSuffix("/1.1") ? .json11 : .json10)
        feed.title = (root["title"] as? String).map { HTMLText.collapseSpaces($0, keepingUnicodeSpaces: true) }
        feed.link = (root["home_page_url"] as? String).map { URLResolver.resolve($0, against: base) }
        feed.selfLink = (root["feed_url"] as? String).map { URLResolver.resolve($0, against: url) }
        feed.language = root["language"] as? String
        for case let item as [String: Any] in (root["items"] as? [Any]) ?? [] {
            var e = FeedEntry()
            if let id = item["id"] { e.id = "\(id)" }
            e.title = (item["title"] as? String).map { HTMLText.plainText(fromHTML: $0, keepingUnicodeSpaces: true) }
            e.link = ((item["url"] as? String) ?? (item["external_url"] as? String)).map {
                URLResolver.resolve($0, against: base)
            }
            e.published = (item["date_published"] as? String).flatMap(FeedDate.parse)
            e.updated = (item["date_modified"] as? String).flatMap(FeedDate.parse)
            let authors = (item["authors"] as? [[String: Any]]) ?? (item["author"] as? [String: Any]).map { [$0] } ?? []
            e.author = authors.compactMap { $0["name"] as? String }.first
            if let html = item["content_html"] as? String {
                e.contents = [html]
            } else if let text = item["content_text"] as? String {
                e.contents = [
                    text.split(separator: "\n", omittingEmptySubsequences: true)
                        .map { "<p>" + escape(String($0)) + "</p>" }.joined()
                ]
            }
            if let summary = item["summary"] as? String, HTMLText.hasText(html: summary, keepingUnicodeSpaces: true) {
                e.summaryHTML = summary
            }
            for case let a as [String: Any] in (item["attachments"] as? [Any]) ?? [] {
                if let u = a["url"] as? String {
                    e.enclosures.append(
                        Enclosure(
                            url: URLResolver.resolve(u, against: base), type: a["mime_type"] as? String,
                            length: (a["size_in_bytes"] as? NSNumber)?.int64Value))
                }
            }
            e.categories = ((item["tags"] as? [Any]) ?? []).compactMap {
                ($0 as? String).map { HTMLText.collapseSpaces($0, keepingUnicodeSpaces: true) }
            }
            .filter { !$0.isEmpty }
            feed.entries.append(e)
        }
        return feed
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
