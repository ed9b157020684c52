import Extraction
import Feeds
import Fetch
import Foundation
import Store
import Stories

/// The daemon's pipeline: due feeds → fetch → parse → new entries → article → extract → stories → store.
public final class Pipeline {
    /// The configuration in force.
    public private(set) var config: Config
    let store: Store
    let index: StoryIndex
    let logger: Logger
    /// Page fetching and extraction, with the sites' template memories.
    private let articles: ArticleStage
    /// Asked between articles: true stops the cycle after the article in hand.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Called whenever work moves forward (a transfer, a feed or an article finished): the watchdog's heartbeat.
    public var onProgress: @Sendable () -> Void = {}

    /// Held while the pipeline lives: one writer per database.
    private let lock: DatabaseLock

    /// Opens the pipeline over `store`, rebuilding the story index from the articles inside the time window; throws
    /// when another process already writes the database.
    /// Whether articles are extracted at a lower priority than the rest of the process, so that a web server
    /// beside the pipeline answers readers first (the daemon sets it when `[http] listen` is set).
    public var extractionYieldsToReaders: Bool {
        get { articles.yieldsToReaders }
        set { articles.yieldsToReaders = newValue }
    }

    public init(config: Config, store: Store, logger: Logger) throws {
        lock = try DatabaseLock(database: store.path)
        self.config = config
        self.store = store
        self.logger = logger
        self.index = StoryIndex(settings: config.stories)
        self.articles = ArticleStage(store: store, logger: logger)
        // Two windows back, a margin over what a running index holds: every story still open began less than a
        // window ago, and closed ones are swept out only a tenth of a window at a time.
        let since = Date().addingTimeInterval(-config.stories.window * 2)
        var restored = 0
        for a in try store.articlesForIndex(since: since) {
            index.restore(
                ClusterDocument(
                    id: String(a.id), url: a.url, source: a.source, title: a.title, text: a.text,
                    published: a.published), story: a.storyID, copy: a.copyOf != nil)
            restored += 1
        }
        index.continueNumbering(after: try store.maxStoryID())
        if restored > 0 { logger.debug("story index rebuilt from \(restored) stored articles") }
        try syncFeeds()
    }

    /// The User-Agent tidings sends.
    public static let userAgent = "tidings/\(Version.current) (feed reader; +https://github.com/tidings/tidings)"

    /// Makes the store's feed list the configuration's (the store keeps each feed's fetch state and history).
    public func syncFeeds() throws {
        let (added, removed) = try store.syncFeeds(config.feeds.map { ($0.url, $0.title) })
        if added > 0 || removed > 0 {
            logger.notice(
                "configuration \(config.path ?? "-"): \(added) feeds added, \(removed) no longer configured (kept, not polled)"
            )
        }
    }

    /// Replaces the configuration (SIGHUP): feeds added are picked up, limits and thresholds apply from the next cycle.
    public func reload(_ newConfig: Config) throws {
        config = newConfig
        try syncFeeds()
    }

    /// Runs one cycle over the feeds that are due (all active feeds when `onlyDue` is false).
    public func runCycle(onlyDue: Bool = false, now: Date = Date()) -> CycleReport {
        var report = CycleReport()
        let all: [FeedRecord]
        do { all = try store.feeds() } catch {
            logger.error("store \(store.path): cannot list feeds: \(error)")
            report.feedErrors += 1
            return report
        }
        let due = all.filter { $0.isActive && (!onlyDue || ($0.nextPoll ?? .distantPast) <= now) }
        applyRetention(now: now)
        guard !due.isEmpty else { return report }
        report.feeds = due.count
        // A client per cycle, so limits changed by a reload apply.
        let client = HTTPClient(limits: config.limits, userAgent: Pipeline.userAgent)
        // Feeds are fetched and parsed on a thread of their own, as a stream: a slow feed holds back nobody, and
        // new transfers wait while a batch of responses is waiting for this thread. Feeds go through in
        // batches of whichever responses came in, so memory is bounded by a few batches, however many feeds are due.
        let batchSize = Pipeline.batchSize(config.limits.maxConcurrent)
        let stream = FeedStream(
            client: client, feeds: due, batchSize: batchSize, progress: onProgress, shouldStop: shouldStop)
        defer { stream.cancel() }  // on an early exit, no transfer outlives the cycle
        // Grouping and storing run one batch behind, on a thread and a database connection of their own, while
        // this thread reads, fetches and extracts the next batch: a queue of one batch between the two stages, so
        // a slow store slows intake instead of piling up articles.
        let committer = makeCommitter()
        var inFlight: CommitTicket?
        func finish(_ ticket: CommitTicket?) {
            guard let outcome = ticket?.wait() else { return }
            report.add(outcome.report)
        }
        var batchNumber = 0
        while true {
            var clock = PhaseClock()
            guard let arrived = stream.next(batchSize) else { break }
            clock.lap("waiting for feeds")
            if shouldStop() {
                report.interrupted = true
                break
            }  // the stream stops starting transfers (defer above)
            batchNumber += 1
            let batch = arrived.map { due[$0.0] }
            let responses = arrived.map(\.1)
            var work: [WorkItem] = []
            var pending: [Int64: FeedRecord] = [:]
            var writes: [DeferredWrite] = []
            // Reading only: the fetch records and feed states this makes go to the committer with the batch.
            let intake = FeedIntake(config: config, store: store, logger: logger)
            for (feed, fetched) in zip(batch, responses) {
                let reading = intake.read(feed, fetched, now: now)
                report.add(reading.report)
                work += reading.items
                writes += reading.writes
                if let p = reading.pending { pending[p.id] = p }
                onProgress()
            }
            clock.lap("reading feeds")
            let prepared = articles.prepare(
                work, client: client, limits: config.limits, shouldStop: shouldStop, onProgress: onProgress,
                clock: &clock)
            let job = CommitJob(
                items: prepared.items, articles: prepared.articles, prepared: prepared.prepared,
                deferred: prepared.deferred, batch: batch, pending: pending, before: writes,
                templates: articles.learnedTemplates())
            finish(inFlight)
            inFlight = nil
            clock.lap("waiting for the store")
            logger.debug("batch \(batchNumber): \(batch.count) feeds, \(work.count) entries; \(clock.summary)")
            // Handed over even when a stop was asked: the feeds' fetch records and states are kept, the articles
            // the committer does not reach are read again next time.
            inFlight = committer.submit(job)
            if report.interrupted { break }
        }
        finish(inFlight)
        return report
    }

    /// Feeds per batch: enough to keep every transfer slot busy, few enough to bound memory.
    static func batchSize(_ maxConcurrent: Int) -> Int { max(16, min(maxConcurrent * 4, 512)) }

    private var lastRetention: Date?

    /// Seconds between two retention passes: deleting is a scan of the articles, and a day's precision is enough.
    static let retentionEvery: TimeInterval = 3600

    /// Deletes articles older than `keep_days`, at most once an hour (`retentionEvery`).
    private func applyRetention(now: Date) {
        let due = lastRetention.map { now.timeIntervalSince($0) >= Pipeline.retentionEvery } ?? true
        guard config.keepDays > 0, due else { return }
        lastRetention = now
        do {
            let removed = try store.applyRetention(keepDays: config.keepDays, now: now)
            if removed > 0 {
                logger.info(
                    "store \(store.path): \(removed) articles older than \(config.keepDays) days deleted (keep_days)")
            }
        } catch {
            logger.error("store \(store.path): retention failed: \(error)")
        }
    }

    /// The committer for a cycle: on a second connection to the store when one can be opened, else (inline) on this
    /// one.
    private func makeCommitter() -> Committer {
        if commitStore == nil {
            do { commitStore = try Store(path: store.path) } catch {
                logger.warning(
                    "store \(store.path): cannot open a second connection (\(error)); storing on the main thread")
            }
        }
        return Committer(
            store: commitStore ?? store, index: index, logger: logger, shouldStop: shouldStop,
            onProgress: onProgress, background: commitStore != nil)
    }

    /// The committer's own connection, kept across cycles.
    private var commitStore: Store?
}
