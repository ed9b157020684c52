import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's counters, in the Prometheus text format (served at `/metrics` by the web server).
public final class Metrics: Sendable {
    private struct Values {
        var cycles = 0, feeds = 0, feedErrors = 0, notModified = 0, articles = 0, articleErrors = 0, joined = 0
        var lastCycleSeconds = 0.0, lastCycleEnd = 0.0, configuredFeeds = 0
    }
    private let values = Mutex(Values())
    private let started = Date()

    /// Empty counters.
    public init() {}

    /// Adds one finished cycle.
    public func record(_ r: CycleReport, seconds: Double, configuredFeeds: Int) {
        values.withLock { v in
            v.cycles += 1
            v.feeds += r.feeds
            v.feedErrors += r.feedErrors
            v.notModified += r.notModified
            v.articles += r.newArticles
            v.articleErrors += r.articleErrors
            v.joined += r.joinedStories
            v.lastCycleSeconds = seconds
            v.lastCycleEnd = Date().timeIntervalSince1970
            v.configuredFeeds = configuredFeeds
        }
    }

    /// The exposition text (format 0.0.4).
    public func text() -> String {
        let v = values.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("tidings_up", "gauge", "1 while the daemon runs.", "1")
        metric(
            "tidings_start_time_seconds", "gauge", "When the daemon started (Unix time).",
            String(Int(started.timeIntervalSince1970)))
        metric("tidings_feeds_configured", "gauge", "Feeds in the configuration.", String(v.configuredFeeds))
        metric(
            "tidings_cycles_total", "counter", "Polling cycles that ran (with at least one feed due).", String(v.cycles)
        )
        metric("tidings_feed_fetches_total", "counter", "Feed fetches attempted.", String(v.feeds))
        metric(
            "tidings_feed_errors_total", "counter", "Feed fetches that failed (transport, HTTP or parse).",
            String(v.feedErrors))
        metric(
            "tidings_feed_not_modified_total", "counter", "Feed fetches answered 304 Not Modified.",
            String(v.notModified))
        metric("tidings_articles_stored_total", "counter", "Articles stored.", String(v.articles))
        metric(
            "tidings_article_errors_total", "counter", "Articles that could not be had (retried later).",
            String(v.articleErrors))
        metric(
            "tidings_articles_joined_story_total", "counter", "Articles that joined an existing story.",
            String(v.joined))
        metric(
            "tidings_last_cycle_duration_seconds", "gauge", "How long the last cycle took.",
            String(format: "%.3f", v.lastCycleSeconds))
        metric(
            "tidings_last_cycle_end_time_seconds", "gauge", "When the last cycle ended (Unix time).",
            String(Int(v.lastCycleEnd)))
        return out
    }
}
