import Foundation

/// The article found in a page: metadata and its clean body.
public struct Article: Sendable, Equatable {
    /// Headline.
    public var title: String?
    /// Byline, as a name.
    public var author: String?
    /// Publication time the page states.
    public var published: Date?
    /// ISO 639-1 language code.
    public var language: String?
    /// Body paragraphs, subheadings and list items, in page order.
    public var paragraphs: [String]
    /// The page had no text of its own for the article (a picture post): `paragraphs` are the headline, date and
    /// byline lines it shows around it, which any text the feed gives for the entry beats.
    public var frameOnly = false

    /// Makes an article.
    public init(
        title: String? = nil, author: String? = nil, published: Date? = nil, language: String? = nil,
        paragraphs: [String] = []
    ) {
        self.title = title
        self.author = author
        self.published = published
        self.language = language
        self.paragraphs = paragraphs
    }

    /// The body as text, one paragraph a line.
    public var text: String { paragraphs.joined(separator: "\n") }

    /// A publication date a page may state: from 1990 (no web page is older; an earlier one is a template's zero
    /// value, 0001-01-01 or the Unix epoch, or a number read as a year) up to two days from `now` (time zones
    /// aside, nothing is published later: "6 days ago 30 minutes" read as 2030).
    static func plausible(_ date: Date?, now: Date = Date()) -> Date? {
        guard let date, date.timeIntervalSince1970 >= 631_152_000, date <= now.addingTimeInterval(2 * 86400) else {
            return nil
        }
        return date
    }
}

/// What a caller knows about a page before extracting it.
public struct PageHints: Sendable {
    /// The page's address.
    public var url: String?
    /// The title the feed gave the entry.
    public var title: String?
    /// The charset the server declared.
    public var charset: String?

    /// Makes hints.
    public init(url: String? = nil, title: String? = nil, charset: String? = nil) {
        self.url = url
        self.title = title
        self.charset = charset
    }
}
