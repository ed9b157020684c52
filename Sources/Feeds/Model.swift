import Foundation
import Markup

/// The syndication format a document was written in.
public enum FeedFormat: String, Sendable, Codable {
    case rss090, rss091, rss092, rss20, rss10, atom03, atom10, json10, json11
}

/// A media file attached to an entry (a podcast episode, a picture).
public struct Enclosure: Sendable, Equatable, Codable {
    /// Absolute URL of the file.
    public var url: String
    /// MIME type, when given.
    public var type: String?
    /// Size in bytes as the feed states it, when given.
    public var length: Int64?

    /// Makes an enclosure.
    public init(url: String, type: String? = nil, length: Int64? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// One item of a feed, normalized across formats.
public struct FeedEntry: Sendable, Equatable {
    /// The entry's own identifier (guid/id), when the feed gives one.
    public var id: String?
    /// Title as plain text.
    public var title: String?
    /// Absolute URL of the entry's web page.
    public var link: String?
    /// First publication time.
    public var published: Date?
    /// Last update time.
    public var updated: Date?
    /// Author as plain text.
    public var author: String?
    /// Summary as plain text: one given as such (`summary = …`), else the plain text of the feed's own summary
    /// (`summaryHTML`), else (when `summaryFallsBackToContent`) the plain text of the first content. Made when
    /// asked for: a feed is parsed on every change, and the daemon reads the summaries of new entries only.
    public var summary: String? {
        get {
            if let feedSummary { return feedSummary }
            if let summaryHTML {
                let plain = HTMLText.plainText(fromHTML: summaryHTML, keepingUnicodeSpaces: true)
                if !plain.isEmpty { return plain }
            }
            guard summaryFallsBackToContent, let content = contents.first else { return nil }
            let plain = HTMLText.plainText(fromHTML: content, keepingUnicodeSpaces: true)
            return plain.isEmpty ? nil : plain
        }
        set { feedSummary = newValue }
    }
    /// A plain-text summary given as such, which `summary` returns as it is.
    public var feedSummary: String?
    /// True when a missing summary is the content's plain text (the reference's convention for RSS and Atom).
    public var summaryFallsBackToContent = false
    /// The summary as the feed wrote it (HTML), set only when it has text to read; a full-text description keeps
    /// its paragraphs here.
    public var summaryHTML: String?
    /// Full content as HTML, when the feed carries it (the first, when it gives several).
    public var content: String? { contents.first }
    /// Every content the entry carries, in document order (content:encoded, Atom content, a second description).
    public var contents: [String] = []
    /// Attached media.
    public var enclosures: [Enclosure] = []
    /// The outlet the entry originally came from (RSS `<source>`), when an aggregating feed names it.
    public var source: String?
    /// Categories and tags, as plain text, in document order (RSS `category`, `dc:subject`, Atom `category`
    /// `term` or `label`, JSON Feed `tags`).
    public var categories: [String] = []

    /// Makes an empty entry.
    public init() {}

    /// A key that identifies this entry within its feed across fetches: id, else link, else title and date.
    public var stableKey: String {
        if let id, !id.isEmpty { return id }
        if let link, !link.isEmpty { return link }
        return "\(title ?? "")|\(published.map { String($0.timeIntervalSince1970) } ?? "")"
    }
}

/// A whole feed document, normalized across formats.
public struct ParsedFeed: Sendable {
    /// The detected format.
    public var format: FeedFormat
    /// Channel title as plain text.
    public var title: String?
    /// Absolute URL of the site the feed belongs to.
    public var link: String?
    /// The feed's own address as it declares it (`atom:link rel="self"`, JSON Feed `feed_url`), absolute.
    public var selfLink: String?
    /// Language code the feed declares.
    public var language: String?
    /// Last time the feed says it changed.
    public var updated: Date?
    /// Entries in document order.
    public var entries: [FeedEntry]
    /// True when the document was not well formed and was read by recovery.
    public var isIllFormed: Bool
    /// The first well-formedness problem, when ill-formed.
    public var problem: String?

    /// Makes a feed.
    public init(
        format: FeedFormat, title: String? = nil, link: String? = nil, language: String? = nil,
        updated: Date? = nil, entries: [FeedEntry] = [], isIllFormed: Bool = false, problem: String? = nil
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.language = language
        self.updated = updated
        self.entries = entries
        self.isIllFormed = isIllFormed
        self.problem = problem
    }
}

/// Why a document could not be read as a feed.
public struct FeedError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What was wrong, in a sentence.
    public let message: String
    /// Makes an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
