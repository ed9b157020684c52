import Feeds
import Fetch
import Foundation
import Markup
import Store

/// When each feed is polled next: its own publishing rate within bounds, HTTP caching hints, backoff, jitter.
struct Scheduler {
    let config: Config

    /// The next poll after a successful fetch.
    func nextPoll(_ feed: FeedRecord, response: FetchResponse, entries: [FeedEntry] = [], now: Date) -> Date {
        var interval = config.pollInterval
        let dates = entries.compactMap { $0.published ?? $0.updated }.sorted(by: >)
        if dates.count >= 3 {
            // Half the mean gap between the latest entries: a feed that posts hourly is read every half hour.
            let recent = Array(dates.prefix(10))
            let span = recent.first!.timeIntervalSince(recent.last!)
            if span > 0 { interval = span / Double(recent.count - 1) / 2 }
        }
        interval = min(max(interval, config.minInterval), config.maxInterval)
        if let cache = Scheduler.cacheLifetime(response.headers, now: now) { interval = max(interval, min(cache, config.maxInterval)) }
        let next = now.addingTimeInterval(jittered(interval))
        if let later = Scheduler.retryAfter(response, now: now), later > next { return later }
        return next
    }

    /// The next poll after a failure: exponential backoff capped at the maximum interval.
    func nextPollAfterFailure(_ feed: FeedRecord, now: Date) -> Date {
        let factor = pow(2, Double(min(feed.errorCount, 16)))
        return now.addingTimeInterval(jittered(min(config.maxInterval, max(config.minInterval, 60) * factor)))
    }

    private func jittered(_ interval: Double) -> Double {
        let j = config.jitter
        return j > 0 ? interval * Double.random(in: (1 - j)...(1 + j)) : interval
    }

    /// Seconds the response may be cached (Cache-Control max-age, else Expires).
    static func cacheLifetime(_ headers: [String: String], now: Date) -> Double? {
        if let cc = headers["cache-control"]?.lowercased() {
            for part in cc.split(separator: ",") {
                let p = part.trimmingCharacters(in: .whitespaces)
                if p.hasPrefix("max-age="), let v = Double(p.dropFirst(8)), v >= 0 { return v }
            }
        }
        if let e = headers["expires"], let d = FeedDate.parse(e) { return max(0, d.timeIntervalSince(now)) }
        return nil
    }

    /// The time named by Retry-After on a 429 or 503 (seconds or an HTTP date).
    static func retryAfter(_ r: FetchResponse, now: Date) -> Date? {
        guard r.status == 429 || r.status == 503, let v = r.headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        // Never more than a week: a server's mistake must not silence a feed for good.
        if let s = Double(v) { return now.addingTimeInterval(min(max(0, s), 7 * 86400)) }
        return FeedDate.parse(v).map { min($0, now.addingTimeInterval(7 * 86400)) }
    }
}
