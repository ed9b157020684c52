import Foundation

/// What one cycle did.
public struct CycleReport: Sendable, Equatable {
    /// Feeds fetched.
    public var feeds = 0
    /// Feeds that failed (transport, HTTP or parse errors).
    public var feedErrors = 0
    /// Feeds that answered 304 Not Modified.
    public var notModified = 0
    /// Entries already stored, skipped.
    public var seenEntries = 0
    /// Articles stored.
    public var newArticles = 0
    /// Entries whose article could not be had (kept for the next cycle).
    public var articleErrors = 0
    /// Articles that joined an existing story.
    public var joinedStories = 0
    /// True when the cycle stopped early because shutdown was requested.
    public var interrupted = false

    /// Adds the counts of a part of the cycle (a feed read, a batch stored).
    mutating func add(_ other: CycleReport) {
        feeds += other.feeds
        feedErrors += other.feedErrors
        notModified += other.notModified
        seenEntries += other.seenEntries
        newArticles += other.newArticles
        articleErrors += other.articleErrors
        joinedStories += other.joinedStories
        if other.interrupted { interrupted = true }
    }
}

/// Wall time spent in each phase of a batch, for the debug log.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var phases: [(String, Double)] = []

    /// Ends the phase called `name`.
    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        if let i = phases.firstIndex(where: { $0.0 == name }) {
            phases[i].1 += Double(now - last) / 1e9
        } else {
            phases.append((name, Double(now - last) / 1e9))
        }
        last = now
    }

    /// "reading feeds 0.41 s, extracting 0.60 s, …"
    var summary: String { phases.map { $0.0 + " " + String(format: "%.2f s", $0.1) }.joined(separator: ", ") }
}
