import Feeds
import Fetch
import Foundation
import Store

/// One entry waiting for its article.
struct WorkItem: Sendable {
    var feed: FeedRecord
    var entry: FeedEntry
    var key: String
    var pageURL: String?
    var source: String?
    /// The feed's own full text for the entry, when it has one (then the page is not fetched).
    var fullContent: String?
    /// When the entry has no date: the date of its nearest dated neighbour in the feed (feeds list entries in
    /// order), so grouping places it in time; nil when the feed has no dates at all.
    var estimatedTime: Date?
}

/// A write the pipeline's reading thread leaves to the committer (the one thread that writes during a cycle).
enum DeferredWrite: Sendable {
    case feed(FeedRecord)
    case fetchLog(feedID: Int64, status: Int, bytes: Int, error: String?, duration: Double)
}

/// What reading one fetched feed gives the cycle. Nothing is written here: the writes go to the committer with
/// the batch, so the store has one writer.
struct FeedReading: Sendable {
    /// The entries not stored yet, each waiting for its article.
    var items: [WorkItem] = []
    /// The fetch record and the feed state to save before the batch's articles.
    var writes: [DeferredWrite] = []
    /// The feed's state to save once its entries are stored (nil when it was not read: an error, 304, 410).
    var pending: FeedRecord?
    /// What this feed adds to the cycle's report (feed errors, not modified, entries already stored).
    var report = CycleReport()
}

/// Reads one feed's response: its new state, its fetch record, and its entries that are new.
public struct FeedIntake {
    let config: Config
    let store: Store
    let logger: Logger

    /// New entries one feed brings into one cycle: a feed of 100 000 entries is read a share at a time, and the
    /// other feeds of the cycle are not held behind it.
    public static let newEntriesPerFeed = 200

    /// What `fetched` (the response for `original`) brings to the cycle.
    func read(_ original: FeedRecord, _ fetched: FetchedFeed, now: Date) -> FeedReading {
        var reading = FeedReading()
        var feed = original
        let schedule = Scheduler(config: config)
        func failed(_ status: Int, _ message: String, response: FetchResponse? = nil) -> FeedReading {
            feed.fetchFailed(status: status, message: message, at: now)
            feed.nextPoll = schedule.nextPollAfterFailure(feed, response: response, now: now)
            reading.report.feedErrors += 1
            logger.error("feed \(original.url): \(message)")
            reading.writes.append(.feed(feed))
            reading.writes.append(.fetchLog(feedID: feed.id, status: status, bytes: 0, error: message, duration: 0))
            return reading
        }
        let response: FetchResponse
        switch fetched.result {
        case .failure(let e): return failed(0, e.message)
        case .success(let r): response = r
        }
        reading.writes.append(
            .fetchLog(
                feedID: feed.id, status: response.status, bytes: response.body.count, error: nil,
                duration: response.seconds))
        switch response.feedVerdict {
        case .notModified:
            reading.report.notModified += 1
            feed.notModified(at: now, nextPoll: schedule.nextPoll(feed, response: response, now: now))
            reading.writes.append(.feed(feed))
            return reading
        case .gone:
            feed.retire(at: now)
            logger.warning("feed \(original.url): gone (HTTP 410), retired; it stays listed and its articles are kept")
            reading.writes.append(.feed(feed))
            return reading
        case .failed:
            return failed(response.status, "HTTP \(response.status)", response: response)
        case .content:
            break
        }
        if let moved = response.permanentRedirect, (try? store.feed(url: moved)) == nil {
            logger.notice("feed \(original.url): moved permanently to \(moved); address updated")
            feed.url = moved
        }
        let parsed: ParsedFeed
        switch fetched.parsed {
        case .success(let p)?: parsed = p
        case .failure(let e)?: return failed(response.status, e.message)
        case nil: return failed(response.status, "not parsed")
        }
        if parsed.isIllFormed {
            logger.warning(
                "feed \(original.url): ill-formed (\(parsed.problem ?? "recovered")); \(parsed.entries.count) entries read"
            )
        }
        feed.read(status: response.status, title: parsed.title, site: parsed.link, at: now)
        reading.writes.append(.feed(feed))  // still due, with the old validators, until its entries are stored
        var done = feed.afterEntriesStored(
            nextPoll: schedule.nextPoll(feed, response: response, entries: parsed.entries, now: now),
            etag: response.etag, lastModified: response.lastModified)

        var keys = Set<String>()
        let feedIsLocal = feed.url.lowercased().hasPrefix("file:")
        let estimates = FeedIntake.neighbourDates(parsed.entries.map { $0.published ?? $0.updated })
        var more = 0
        for (position, entry) in parsed.entries.enumerated() {
            let key = entry.stableKey
            guard keys.insert(key).inserted else { continue }
            if (try? store.hasEntry(feedID: feed.id, key: key)) == true {
                reading.report.seenEntries += 1
                continue
            }
            guard reading.items.count < FeedIntake.newEntriesPerFeed else {
                more += 1
                continue
            }
            var page = entry.link
            if page == nil, entry.contents.isEmpty, (entry.summary ?? "").isEmpty, (entry.title ?? "").isEmpty {
                logger.warning("feed \(feed.url): entry \(key) has no link, no title and no text; skipped")
                continue
            }
            if let p = page, !FeedIntake.allowedArticleURL(p, feedIsLocal: feedIsLocal) {
                logger.warning("feed \(feed.url): entry link \(p) refused (only http and https links are followed)")
                page = nil
            }
            reading.items.append(
                WorkItem(
                    feed: feed, entry: entry, key: key, pageURL: page,
                    source: entry.source ?? feed.title ?? parsed.title ?? URLComponents(string: feed.url)?.host,
                    fullContent: fetched.fullContents[position], estimatedTime: estimates[position]))
        }
        if more > 0 {
            // The rest next time: the feed keeps its old validators (so it is read again, not answered 304) and
            // comes back at the shortest interval.
            done = feed.afterEntriesStored(
                nextPoll: now.addingTimeInterval(config.minInterval), etag: original.etag,
                lastModified: original.lastModified)
            logger.notice(
                "feed \(original.url): \(reading.items.count + more) new entries; \(reading.items.count) this cycle, "
                    + "the rest next cycle")
        }
        reading.pending = done
        return reading
    }

    /// For each position, its own date, else the date of the nearest dated position (nil when none is dated).
    static func neighbourDates(_ dates: [Date?]) -> [Date?] {
        let dated = dates.indices.filter { dates[$0] != nil }
        guard !dated.isEmpty else { return dates }
        return dates.indices.map { i in
            if let d = dates[i] { return d }
            let nearest = dated.min { abs($0 - i) < abs($1 - i) }!
            return dates[nearest]
        }
    }

    /// Article links from a remote feed may only be http(s); a local feed may link to local files.
    static func allowedArticleURL(_ url: String, feedIsLocal: Bool) -> Bool {
        let l = url.lowercased()
        return l.hasPrefix("http://") || l.hasPrefix("https://") || (feedIsLocal && l.hasPrefix("file:"))
    }
}
