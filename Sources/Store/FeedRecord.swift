import Foundation

/// A configured feed and its fetch state.
public struct FeedRecord: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// Where the feed is fetched from.
    public var url: String
    /// The feed's title.
    public var title: String?
    /// The site the feed belongs to.
    public var site: String?
    /// HTTP validators from the last successful fetch.
    public var etag: String?
    /// HTTP Last-Modified from the last successful fetch.
    public var lastModified: String?
    /// When it was last fetched.
    public var lastFetch: Date?
    /// HTTP status of the last fetch (0 for a transport error).
    public var lastStatus: Int?
    /// The last error, if the last fetch failed.
    public var lastError: String?
    /// Failures in a row.
    public var errorCount: Int
    /// When the next poll is due.
    public var nextPoll: Date?
    /// True once the server said the feed is gone (410).
    public var retired: Bool
    /// True once the feed left the configuration (kept, with its articles, in case it comes back).
    public var removed: Bool = false

    /// Whether the daemon polls it.
    public var isActive: Bool { !retired && !removed }
}

/// How a fetch changes a feed's state. Each outcome is one method, so that what a 304, a 410 or an error does to
/// a feed reads in one place; when the next poll is, the caller's scheduler decides.
extension FeedRecord {
    /// The fetch failed (`status` 0: no response): one more error in a row. `nextPoll` is decided after, from the
    /// new error count.
    public mutating func fetchFailed(status: Int, message: String, at now: Date) {
        lastFetch = now
        lastStatus = status
        lastError = message
        errorCount += 1
    }

    /// The server answered 304: unchanged, and the feed is healthy again.
    public mutating func notModified(at now: Date, nextPoll next: Date) {
        lastFetch = now
        lastStatus = 304
        lastError = nil
        errorCount = 0
        nextPoll = next
    }

    /// The server said the feed is gone (410): it is no longer polled; it stays listed with its articles.
    public mutating func retire(at now: Date) {
        lastFetch = now
        retired = true
        lastStatus = 410
        lastError = "the server says the feed is gone (410); retired"
    }

    /// The feed was fetched and read: errors cleared, its title and site taken from the feed when not known yet.
    /// It keeps its old validators and stays due until its entries are stored (see `afterEntriesStored`).
    public mutating func read(status: Int, title feedTitle: String?, site feedSite: String?, at now: Date) {
        lastFetch = now
        lastStatus = status
        lastError = nil
        errorCount = 0
        if title == nil { title = feedTitle }
        if site == nil { site = feedSite }
    }

    /// The state to save once the entries read are stored: the response's validators and the next poll.
    public func afterEntriesStored(
        nextPoll next: Date, etag newETag: String?, lastModified newLastModified: String?
    )
        -> FeedRecord
    {
        var done = self
        done.nextPoll = next
        done.etag = newETag
        done.lastModified = newLastModified
        return done
    }
}
