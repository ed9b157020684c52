import Feeds
import Fetch
import Foundation
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
        if let cache = response.cacheLifetime(now: now) { interval = max(interval, min(cache, config.maxInterval)) }
        let next = now.addingTimeInterval(jittered(interval))
        if let later = response.retryAfter(now: now), later > next { return later }
        return next
    }

    /// The next poll after a failure: exponential backoff capped at the maximum interval, or later when the
    /// server's Retry-After asks for more (`response`: the failed response, when there was one).
    func nextPollAfterFailure(_ feed: FeedRecord, response: FetchResponse? = nil, now: Date) -> Date {
        let factor = pow(2, Double(min(feed.errorCount, Scheduler.doublings)))
        let backoff = now.addingTimeInterval(
            jittered(min(config.maxInterval, max(config.minInterval, Scheduler.shortestBackoff) * factor)))
        if let later = response?.retryAfter(now: now), later > backoff { return later }
        return backoff
    }

    /// The first wait after a failure is at least a minute, even when `min_interval` is shorter.
    static let shortestBackoff: Double = 60
    /// Failures in a row that keep doubling the wait (2^16 minutes is far beyond any `max_interval`: the cap decides).
    static let doublings = 16

    private func jittered(_ interval: Double) -> Double {
        let j = config.jitter
        return j > 0 ? interval * Double.random(in: (1 - j)...(1 + j)) : interval
    }
}
