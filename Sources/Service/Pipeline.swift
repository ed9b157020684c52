import Extraction
import Feeds
import Fetch
import Foundation
import Stories
import Store

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
}

/// One entry waiting for its article.
struct WorkItem {
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

/// The daemon's pipeline: due feeds → fetch → parse → new entries → article → extract → stories → store.
public final class Pipeline {
    /// The configuration in force.
    public private(set) var config: Config
    let store: Store
    let index: StoryIndex
    let logger: Logger
    private var templates: [String: TemplateMemory.Host] = [:]
    /// Asked between articles: true stops the cycle after the article in hand.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Called whenever work moves forward (a transfer, a feed or an article finished): the watchdog's heartbeat.
    public var onProgress: @Sendable () -> Void = {}

    /// Held while the pipeline lives: one writer per database.
    private let lock: DatabaseLock

    /// Opens the pipeline over `store`, rebuilding the story index from the articles inside the time window; throws
    /// when another process already writes the database.
    public init(config: Config, store: Store, logger: Logger) throws {
        lock = try DatabaseLock(database: store.path)
        self.config = config
        self.store = store
        self.logger = logger
        self.index = StoryIndex(settings: config.stories)
        let since = Date().addingTimeInterval(-config.stories.windowHours * 3600 * 2)
        var restored = 0
        for a in try store.articlesForIndex(since: since) {
            index.restore(ClusterDocument(id: String(a.id), url: a.url, source: a.source, title: a.title, text: a.text,
                                          published: a.published), story: a.storyID)
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
            logger.notice("configuration \(config.path ?? "-"): \(added) feeds added, \(removed) no longer configured (kept, not polled)")
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
        let stream = FeedStream(client: client, feeds: due, batchSize: batchSize, progress: onProgress, shouldStop: shouldStop)
        defer { stream.cancel() }  // on an early exit, no transfer outlives the cycle
        // Grouping and storing run one batch behind, on a thread and a database connection of their own, while
        // this thread reads, fetches and extracts the next batch: a queue of one batch between the two stages, so
        // a slow store slows intake instead of piling up articles.
        let committer = makeCommitter()
        var inFlight: CommitTicket?
        func finish(_ ticket: CommitTicket?) {
            guard let outcome = ticket?.wait() else { return }
            report.newArticles += outcome.report.newArticles
            report.articleErrors += outcome.report.articleErrors
            report.joinedStories += outcome.report.joinedStories
            if outcome.report.interrupted { report.interrupted = true }
        }
        var batchNumber = 0
        while true {
            var clock = PhaseClock()
            guard let arrived = stream.next(batchSize) else { break }
            clock.lap("waiting for feeds")
            if shouldStop() { report.interrupted = true; break }  // the stream stops starting transfers (defer above)
            batchNumber += 1
            let batch = arrived.map { due[$0.0] }
            let responses = arrived.map(\.1)
            var work: [WorkItem] = []
            var pending: [Int64: FeedRecord] = [:]
            // Reading only: the fetch records and feed states this makes are queued (`writes`) for the committer.
            for (feed, fetched) in zip(batch, responses) {
                work += handleFeed(feed, fetched, now: now, report: &report, pending: &pending)
                onProgress()
            }
            clock.lap("reading feeds")
            var job = prepareArticles(work, batch: batch, pending: pending, client: client, clock: &clock)
            job.before = writes
            writes = []
            job.templates = learnedTemplates()
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

    /// Deletes articles older than `keep_days`, at most once an hour.
    private func applyRetention(now: Date) {
        guard config.keepDays > 0, (lastRetention.map { now.timeIntervalSince($0) >= 3600 } ?? true) else { return }
        lastRetention = now
        do {
            let removed = try store.applyRetention(keepDays: config.keepDays, now: now)
            if removed > 0 { logger.info("store \(store.path): \(removed) articles older than \(config.keepDays) days deleted (keep_days)") }
        } catch {
            logger.error("store \(store.path): retention failed: \(error)")
        }
    }

    // MARK: - Feeds

    /// Records one feed's fetch; a feed that was read goes to `pending` with its next state, saved once its entries are.
    private func handleFeed(_ original: FeedRecord, _ fetched: FetchedFeed, now: Date,
                            report: inout CycleReport, pending: inout [Int64: FeedRecord]) -> [WorkItem] {
        let result = fetched.result
        var feed = original
        feed.lastFetch = now
        let schedule = Scheduler(config: config)
        func fail(_ status: Int, _ message: String) {
            feed.lastStatus = status
            feed.lastError = message
            feed.errorCount += 1
            feed.nextPoll = schedule.nextPollAfterFailure(feed, now: now)
            report.feedErrors += 1
            logger.error("feed \(original.url): \(message)")
            save(feed)
            writes.append(.fetchLog(feedID: feed.id, status: status, bytes: 0, error: message, duration: 0))
        }
        let response: FetchResponse
        switch result {
        case .failure(let e):
            fail(0, e.message)
            return []
        case .success(let r):
            response = r
        }
        writes.append(.fetchLog(feedID: feed.id, status: response.status, bytes: response.body.count, error: nil, duration: response.seconds))
        if response.status == 304 {
            report.notModified += 1
            feed.lastStatus = 304
            feed.lastError = nil
            feed.errorCount = 0
            feed.nextPoll = schedule.nextPoll(feed, response: response, now: now)
            save(feed)
            return []
        }
        if response.status == 410 {
            feed.retired = true
            feed.lastStatus = 410
            feed.lastError = "the server says the feed is gone (410); retired"
            logger.warning("feed \(original.url): gone (HTTP 410), retired; it stays listed and its articles are kept")
            save(feed)
            return []
        }
        guard (200..<300).contains(response.status) else {
            fail(response.status, "HTTP \(response.status)")
            if let later = Scheduler.retryAfter(response, now: now), later > (feed.nextPoll ?? now) {
                feed.nextPoll = later
                save(feed)
            }
            return []
        }
        if let moved = response.permanentRedirect, (try? store.feed(url: moved)) == nil {
            logger.notice("feed \(original.url): moved permanently to \(moved); address updated")
            feed.url = moved
        }
        let parsed: ParsedFeed
        switch fetched.parsed {
        case .success(let p)?: parsed = p
        case .failure(let e)?:
            fail(response.status, e.message)
            return []
        case nil:
            fail(response.status, "not parsed")
            return []
        }
        if parsed.isIllFormed {
            logger.warning("feed \(original.url): ill-formed (\(parsed.problem ?? "recovered")); \(parsed.entries.count) entries read")
        }
        feed.lastStatus = response.status
        feed.lastError = nil
        feed.errorCount = 0
        if feed.title == nil { feed.title = parsed.title }
        if feed.site == nil { feed.site = parsed.link }
        save(feed)  // still due, with the old validators, until its entries are stored
        var done = feed
        done.nextPoll = schedule.nextPoll(feed, response: response, entries: parsed.entries, now: now)
        done.etag = response.headers["etag"]
        done.lastModified = response.headers["last-modified"]
        pending[feed.id] = done

        var items: [WorkItem] = []
        var keys = Set<String>()
        let feedIsLocal = feed.url.lowercased().hasPrefix("file:")
        let estimates = Pipeline.neighbourDates(parsed.entries.map { $0.published ?? $0.updated })
        var more = 0
        for (position, entry) in parsed.entries.enumerated() {
            let key = entry.stableKey
            guard keys.insert(key).inserted else { continue }
            if (try? store.hasEntry(feedID: feed.id, key: key)) == true { report.seenEntries += 1; continue }
            guard items.count < Pipeline.newEntriesPerFeed else { more += 1; continue }
            var page = entry.link
            if page == nil, entry.contents.isEmpty, (entry.summary ?? "").isEmpty, (entry.title ?? "").isEmpty {
                logger.warning("feed \(feed.url): entry \(key) has no link, no title and no text; skipped")
                continue
            }
            if let p = page, !Pipeline.allowedArticleURL(p, feedIsLocal: feedIsLocal) {
                logger.warning("feed \(feed.url): entry link \(p) refused (only http and https links are followed)")
                page = nil
            }
            items.append(WorkItem(feed: feed, entry: entry, key: key, pageURL: page,
                                  source: entry.source ?? feed.title ?? parsed.title ?? Pipeline.host(of: feed.url),
                                  fullContent: fetched.fullContents[position], estimatedTime: estimates[position]))
        }
        if more > 0 {
            // The rest next time: the feed keeps its old validators (so it is read again, not answered 304) and
            // comes back at the shortest interval.
            done.etag = original.etag
            done.lastModified = original.lastModified
            done.nextPoll = now.addingTimeInterval(config.minInterval)
            pending[feed.id] = done
            logger.notice("feed \(original.url): \(items.count + more) new entries; \(items.count) this cycle, the rest next cycle")
        }
        return items
    }

    /// New entries one feed brings into one cycle: a feed of 100 000 entries is read a share at a time, and the
    /// other feeds of the cycle are not held behind it.
    public static let newEntriesPerFeed = 200

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

    /// Queues the feed's fetch state for the committer (the one thread that writes during a cycle).
    private func save(_ feed: FeedRecord) {
        writes.append(.feed(feed))
    }

    /// The batch's feed writes, waiting to go to the committer with its articles.
    private var writes: [DeferredWrite] = []

    // MARK: - Articles

    /// Whether the feed's own content is the full article (so the page need not be fetched).
    /// The longest text the feed carries for the entry (content, or a full-text description), when it is an article.
    static func fullContent(_ e: FeedEntry) -> String? {
        let candidates = (e.contents + [e.summaryHTML].compactMap { $0 }).map { ($0, FeedContent.wordCount($0)) }
        guard let (html, words) = candidates.max(by: { $0.1 < $1.1 }) else { return nil }
        return words >= 150 || (e.link == nil && words > 0) ? html : nil
    }

    /// Puts the batch's new entries in publication order, fetches the pages they need and extracts every article
    /// (and its grouping features): everything before grouping and storing, which the committer does.
    private func prepareArticles(_ work: [WorkItem], batch: [FeedRecord], pending: [Int64: FeedRecord], client: HTTPClient,
                                 clock: inout PhaseClock) -> CommitJob {
        // Publication order, so stories grow the way they happened.
        let ordered = work.enumerated().sorted { a, b in
            let x = a.element.entry.published ?? a.element.estimatedTime ?? .distantFuture
            let y = b.element.entry.published ?? b.element.estimatedTime ?? .distantFuture
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        let needPage = ordered.enumerated().filter { $0.element.fullContent == nil && $0.element.pageURL != nil }
        // A batch's pages get one transfer timeout: what a slow or stalling site has not sent by then waits for the
        // next cycle (its feed keeps its validators, its entries stay new), and a stop ends the transfers at once.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(1, config.limits.totalTimeout) * 1e9)
        let shouldStop = self.shouldStop
        let pages = client.fetchAll(needPage.map { FetchRequest(url: $0.element.pageURL!) }, progress: onProgress,
                                    abandon: { shouldStop() || DispatchTime.now().uptimeNanoseconds > deadline })
        var pageFor: [Int: Result<FetchResponse, FetchError>] = [:]
        var deferred = Set<Int>()
        for (p, r) in zip(needPage, pages) {
            pageFor[p.offset] = r
            if case .failure(let e) = r, e.kind == .abandoned { deferred.insert(p.offset) }
        }
        if !deferred.isEmpty {
            let feeds = Set(deferred.map { ordered[$0].feed.url }).sorted()
            logger.notice("\(deferred.count) pages left for the next cycle (\(shouldStop() ? "stopping" : "the batch's time for pages ran out")): \(feeds.prefix(3).joined(separator: ", "))\(feeds.count > 3 ? " and \(feeds.count - 3) more feeds" : "")")
        }
        clock.lap("fetching pages")
        let (articles, prepared) = extractAll(ordered, pages: pageFor)
        clock.lap("extracting")
        return CommitJob(items: ordered, articles: articles, prepared: prepared, deferred: deferred, batch: batch, pending: pending,
                         before: [], templates: [])
    }

    /// The committer for a cycle: on a second connection to the store when one can be opened, else (inline) on this one.
    private func makeCommitter() -> Committer {
        if commitStore == nil {
            do { commitStore = try Store(path: store.path) } catch {
                logger.warning("store \(store.path): cannot open a second connection (\(error)); storing on the main thread")
            }
        }
        return Committer(store: commitStore ?? store, index: index, logger: logger, shouldStop: shouldStop,
                         onProgress: onProgress, background: commitStore != nil)
    }

    /// The committer's own connection, kept across cycles.
    private var commitStore: Store?

    /// Extracts the batch's articles on every core. Pages of one site go through one task in order, because each
    /// page's template memory is what the site's earlier pages taught it; sites and feed contents run in parallel.
    /// Only extraction runs concurrently: the store and the story index are used by this thread alone.
    private func extractAll(_ items: [WorkItem], pages: [Int: Result<FetchResponse, FetchError>]) -> ([Article?], [PreparedDocument?]) {
        var bySite: [String: [Int]] = [:]
        var independent: [Int] = []
        for i in items.indices {
            if items[i].fullContent == nil, case .success(let r)? = pages[i], (200..<300).contains(r.status),
               let host = Pipeline.templateHost(r.finalURL) {
                bySite[host, default: []].append(i)
            } else {
                independent.append(i)
            }
        }
        let tasks: [(host: String?, indices: [Int])] = bySite.map { ($0.key, $0.value) }
            + stride(from: 0, to: independent.count, by: 8).map { (nil, Array(independent[$0..<min($0 + 8, independent.count)])) }
        let learned = tasks.map { t in t.host.map(loadTemplate) }  // read here: the store is not shared with workers
        let results = ExtractionResults(count: items.count, tasks: tasks.count)
        let logger = self.logger
        DispatchQueue.concurrentPerform(iterations: tasks.count) { t in
            var template = learned[t]
            let preparer = DocumentPreparer()
            for i in tasks[t].indices {
                let article = Pipeline.article(for: items[i], page: pages[i], template: &template, logger: logger)
                results.set(i, article, article.map { preparer.prepare(Pipeline.clusterDocument($0, items[i])) })
            }
            results.setTemplate(t, template)
        }
        for (t, task) in tasks.enumerated() {
            if let host = task.host, let template = results.template(t) {
                templates[host] = template
                dirtyTemplates.insert(host)
            }
        }
        return (results.articles, results.prepared)
    }

    /// What grouping sees of an article.
    static func clusterDocument(_ a: Article, _ item: WorkItem) -> ClusterDocument {
        ClusterDocument(id: item.key, url: item.pageURL, source: item.source, title: a.title, text: a.text,
                        published: published(a, item) ?? item.estimatedTime)
    }

    /// When the article was published: the entry's date, else the page's, else the entry's last update.
    static func published(_ a: Article, _ item: WorkItem) -> Date? {
        item.entry.published ?? a.published ?? item.entry.updated
    }

    /// One entry's article: the feed's full text, the fetched page (read with, and teaching, its site's template
    /// memory), or the summary; nil when the page could not be had.
    static func article(for item: WorkItem, page: Result<FetchResponse, FetchError>?, template: inout TemplateMemory.Host?,
                        logger: Logger) -> Article? {
        let entry = item.entry
        let hints = PageHints(url: item.pageURL, title: entry.title)
        if let html = item.fullContent {
            var a = FeedContent.article(html: html, hints: hints)
            a.title = entry.title ?? a.title
            return a
        }
        guard let page else {
            // No page to fetch: the summary is all there is.
            // (handleFeed skipped entries with no text at all; a title-only entry, a status update, is its own text.)
            return entryArticle(entry)
        }
        switch page {
        case .failure(let e) where e.kind == .abandoned:
            return nil // left for the next cycle (said once for the batch)
        case .failure(let e):
            logger.warning("feed \(item.feed.url): article \(e.description); will retry next cycle")
            return nil
        case .success(let r) where !(200..<300).contains(r.status):
            logger.warning("feed \(item.feed.url): article \(r.requestedURL): HTTP \(r.status); will retry next cycle")
            return nil
        case .success(let r):
            if let kind = Extractor.nonTextKind(r.body, contentType: r.contentType) {
                // A PDF, a picture, random bytes: no page to read. The entry's own text stands for it, said once.
                logger.warning("feed \(item.feed.url): article \(r.requestedURL) is \(kind), not a page; stored with the entry's own text")
                return entryArticle(entry)
            }
            var hintsWithCharset = hints
            hintsWithCharset.charset = r.charset
            var a: Article
            if var t = template {
                a = Extractor.extract(r.body, contentType: r.contentType, hints: hintsWithCharset, learningInto: &t)
                template = t
            } else {
                a = Extractor.extract(r.body, contentType: r.contentType, hints: hintsWithCharset)
            }
            if a.paragraphs.isEmpty, let summary = entry.summary, !summary.isEmpty { a.paragraphs = [summary] }
            if a.title == nil { a.title = entry.title }
            return a
        }
    }

    /// An entry's own text as its article: its summary, else its title.
    static func entryArticle(_ entry: FeedEntry) -> Article {
        let text = [entry.summary, entry.title].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        return Article(title: entry.title, author: entry.author, published: entry.published, paragraphs: [text])
    }

    /// Hosts whose template memory learned something since it was last saved.
    private var dirtyTemplates = Set<String>()

    /// What the template memories learned in this batch (saved by the committer, once a batch, not once a page).
    /// They stay at hand for one more batch, which is extracted while the committer saves them; then they go: with
    /// thousands of sites, only two batches' hosts are held.
    private func learnedTemplates() -> [(host: String, template: TemplateMemory.Host)] {
        let learned = dirtyTemplates.compactMap { host in templates[host].map { (host: host, template: $0) } }
        dirtyTemplates.removeAll()
        recentTemplates = templates
        templates.removeAll()
        return learned
    }

    /// The previous batch's template memories (perhaps not saved yet).
    private var recentTemplates: [String: TemplateMemory.Host] = [:]

    private func loadTemplate(_ host: String) -> TemplateMemory.Host {
        if let t = templates[host] { return t }
        if let t = recentTemplates[host] {
            templates[host] = t
            return t
        }
        let stored = (try? store.template(host: host)) ?? (pages: 0, counts: [:])
        let t = TemplateMemory.Host(pages: stored.pages, counts: stored.counts)
        templates[host] = t
        return t
    }

    /// A short hex digest of the text (the stored content hash).
    static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
        return String(h, radix: 16)
    }

    static func host(of url: String) -> String? {
        URLComponents(string: url)?.host
    }

    /// The host whose template memory applies to `url` (none for local files).
    static func templateHost(_ url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        return c.host?.lowercased()
    }
}

/// The version of this build.
public enum Version {
    /// Semantic version.
    public static let current = "0.1.0"
}

/// One batch of transfers running on a thread of its own; `wait()` hands over the results.
/// Wall time spent in each phase of a batch, for the debug log.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var phases: [(String, Double)] = []

    /// Ends the phase called `name`.
    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        if let i = phases.firstIndex(where: { $0.0 == name }) { phases[i].1 += Double(now - last) / 1e9 } else {
            phases.append((name, Double(now - last) / 1e9))
        }
        last = now
    }

    /// "reading feeds 0.41 s, extracting 0.60 s, …"
    var summary: String { phases.map { $0.0 + " " + String(format: "%.2f s", $0.1) }.joined(separator: ", ") }
}

/// A feed's response, parsed (off the main thread) when it is a success.
struct FetchedFeed: Sendable {
    var result: Result<FetchResponse, FetchError>
    /// The parsed feed, or why it could not be parsed; nil when the response has no feed to parse.
    var parsed: Result<ParsedFeed, FeedParseFailure>?
    /// Each entry's full text in the feed, when it carries one (`Pipeline.fullContent`).
    var fullContents: [String?] = []
}

/// Why a feed body could not be parsed.
struct FeedParseFailure: Error, Sendable { let message: String }

/// The cycle's due feeds, fetched and parsed on a thread of their own and handed out in batches as they complete.
final class FeedStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [(Int, FetchedFeed)] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int
    private let exited = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts fetching `feeds`; at most about `batchSize` responses (and those in flight) wait to be taken.
    init(client: HTTPClient, feeds: [FeedRecord], batchSize: Int, progress: @escaping @Sendable () -> Void,
         shouldStop: @escaping @Sendable () -> Bool = { false }) {
        capacity = batchSize
        self.shouldStop = shouldStop
        let requests = feeds.map { FetchRequest(url: $0.url, etag: $0.etag, lastModified: $0.lastModified) }
        let thread = Thread { [self] in
            // A stop ends the transfers in flight at once: the daemon stops within a second, not when the slowest
            // feed times out (those feeds stay due).
            client.fetchEach(requests, admit: { self.admission() }, abandon: { self.isCancelled || self.shouldStop() }) { index, result in
                let fetched = FeedStream.parse(result)
                progress()
                condition.lock()
                ready.append((index, fetched))
                condition.signal()
                condition.unlock()
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
            exited.signal()
        }
        thread.stackSize = 16 << 20  // feed parsing runs here too
        thread.start()
    }

    private let shouldStop: @Sendable () -> Bool

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    private func admission() -> HTTPClient.Admission {
        condition.lock()
        defer { condition.unlock() }
        if cancelled || shouldStop() { return .stop }
        return ready.count < capacity ? .go : .wait
    }

    /// The next `count` responses (fewer once the last transfers are done) with their feeds' indices, in the order
    /// they completed; nil when every feed was handed out.
    func next(_ count: Int) -> [(Int, FetchedFeed)]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.count < count && !finished { condition.wait() }
        if ready.isEmpty { return nil }
        let n = min(count, ready.count)
        let batch = Array(ready.prefix(n))
        ready.removeFirst(n)
        return batch
    }

    /// Starts no more transfers and ends those in flight (their feeds stay due).
    func cancel() {
        condition.lock()
        cancelled = true
        let wait = !joined
        joined = true
        condition.unlock()
        if wait { exited.wait() }
    }

    static func parse(_ result: Result<FetchResponse, FetchError>) -> FetchedFeed {
        guard case .success(let r) = result, (200..<300).contains(r.status) else { return FetchedFeed(result: result) }
        do {
            let parsed = try FeedParser.parse(r.body, url: r.finalURL, charset: r.charset)
            return FetchedFeed(result: result, parsed: .success(parsed), fullContents: parsed.entries.map(Pipeline.fullContent))
        } catch {
            return FetchedFeed(result: result, parsed: .failure(FeedParseFailure(message: "\(error)")))
        }
    }
}

/// Where the extraction workers leave their results: each index and each task is written by one worker only.
final class ExtractionResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var articles: [Article?]
    private(set) var prepared: [PreparedDocument?]
    private var templates: [TemplateMemory.Host?]

    init(count: Int, tasks: Int) {
        articles = Array(repeating: nil, count: count)
        prepared = Array(repeating: nil, count: count)
        templates = Array(repeating: nil, count: tasks)
    }

    func set(_ i: Int, _ a: Article?, _ p: PreparedDocument?) { lock.lock(); articles[i] = a; prepared[i] = p; lock.unlock() }
    func setTemplate(_ t: Int, _ h: TemplateMemory.Host?) { lock.lock(); templates[t] = h; lock.unlock() }
    func template(_ t: Int) -> TemplateMemory.Host? { lock.lock(); defer { lock.unlock() }; return templates[t] }
}
