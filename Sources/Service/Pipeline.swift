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

    /// Opens the pipeline over `store`, rebuilding the story index from the articles inside the time window.
    public init(config: Config, store: Store, logger: Logger) throws {
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
        // Feeds go through in batches, each carried to the store before the next is fetched: memory is bounded
        // by one batch's feeds and pages, however many feeds are due.
        let batchSize = Pipeline.batchSize(config.limits.maxConcurrent)
        let batches = stride(from: 0, to: due.count, by: batchSize).map { Array(due[$0..<min($0 + batchSize, due.count)]) }
        // While one batch is parsed, extracted and stored, the next batch's feeds are already being fetched (on a
        // thread of their own, with their own transfers): the network and the CPU work at the same time, and at
        // most two batches are held.
        let progress = onProgress
        func startFetch(_ batch: [FeedRecord]) -> BackgroundFetch {
            BackgroundFetch(client: client, requests: batch.map { FetchRequest(url: $0.url, etag: $0.etag, lastModified: $0.lastModified) },
                            progress: progress)
        }
        var next: BackgroundFetch? = batches.first.map(startFetch)
        for (index, batch) in batches.enumerated() {
            guard let fetching = next else { break }
            let responses = fetching.wait()
            if shouldStop() { report.interrupted = true; break }  // before the next fetch starts: none outlives the cycle
            next = index + 1 < batches.count ? startFetch(batches[index + 1]) : nil
            var work: [WorkItem] = []
            var pending: [Int64: FeedRecord] = [:]
            for (feed, result) in zip(batch, responses) {
                work += handleFeed(feed, result, now: now, report: &report, pending: &pending)
                onProgress()
            }
            let (failed, interrupted) = processArticles(work, client: client, report: &report)
            saveTemplates()
            // A fetched feed's next poll and new ETag/Last-Modified are saved only after its entries: a crash or a stop
            // before that leaves it due with the old validators, so the entries are read again. A failed page moves
            // the schedule on but keeps the old validators, so the next poll does not get a 304 and skip it.
            for (id, done) in pending where !interrupted.contains(id) {
                var feed = done
                if failed.contains(id), let before = batch.first(where: { $0.id == id }) {
                    feed.etag = before.etag
                    feed.lastModified = before.lastModified
                }
                save(feed)
            }
        }
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
    private func handleFeed(_ original: FeedRecord, _ result: Result<FetchResponse, FetchError>, now: Date,
                            report: inout CycleReport, pending: inout [Int64: FeedRecord]) -> [WorkItem] {
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
            try? store.logFetch(feedID: feed.id, status: status, bytes: 0, error: message, duration: 0)
        }
        let response: FetchResponse
        switch result {
        case .failure(let e):
            fail(0, e.message)
            return []
        case .success(let r):
            response = r
        }
        try? store.logFetch(feedID: feed.id, status: response.status, bytes: response.body.count, error: nil, duration: response.seconds)
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
        do {
            parsed = try FeedParser.parse(response.body, url: response.finalURL, charset: response.charset)
        } catch {
            fail(response.status, "\(error)")
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
        for (position, entry) in parsed.entries.enumerated() {
            let key = entry.stableKey
            guard keys.insert(key).inserted else { continue }
            if (try? store.hasEntry(feedID: feed.id, key: key)) == true { report.seenEntries += 1; continue }
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
                                  fullContent: Pipeline.fullContent(entry), estimatedTime: estimates[position]))
        }
        return items
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

    private func save(_ feed: FeedRecord) {
        do { try store.updateFeed(feed) } catch { logger.error("feed \(feed.url): cannot save fetch state: \(error)") }
    }

    // MARK: - Articles

    /// Whether the feed's own content is the full article (so the page need not be fetched).
    /// The longest text the feed carries for the entry (content, or a full-text description), when it is an article.
    static func fullContent(_ e: FeedEntry) -> String? {
        let candidates = (e.contents + [e.summaryHTML].compactMap { $0 }).map { ($0, FeedContent.wordCount($0)) }
        guard let (html, words) = candidates.max(by: { $0.1 < $1.1 }) else { return nil }
        return words >= 150 || (e.link == nil && words > 0) ? html : nil
    }

    /// Fetches, extracts, groups and stores the batch's new entries; returns the feeds with an entry that failed and
    /// those with an entry not reached because of a stop.
    private func processArticles(_ work: [WorkItem], client: HTTPClient,
                                 report: inout CycleReport) -> (failed: Set<Int64>, interrupted: Set<Int64>) {
        // Publication order, so stories grow the way they happened.
        let ordered = work.enumerated().sorted { a, b in
            let x = a.element.entry.published ?? a.element.estimatedTime ?? .distantFuture
            let y = b.element.entry.published ?? b.element.estimatedTime ?? .distantFuture
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        let needPage = ordered.enumerated().filter { $0.element.fullContent == nil && $0.element.pageURL != nil }
        let pages = client.fetchAll(needPage.map { FetchRequest(url: $0.element.pageURL!) }, progress: onProgress)
        var pageFor: [Int: Result<FetchResponse, FetchError>] = [:]
        for (p, r) in zip(needPage, pages) { pageFor[p.offset] = r }

        let articles = extractAll(ordered, pages: pageFor)
        var failed = Set<Int64>(), interrupted = Set<Int64>()
        // Articles commit together, up to 200 or half a second's worth at a time: a commit per article spent more
        // time in commits and full-text index flushes than in grouping. A crash loses at most the chunk in hand,
        // whose feeds keep their old validators and are read again; a record that fails is undone alone.
        var start = 0
        chunks: while start < ordered.count {
            var end = min(start + 200, ordered.count)
            let began = Date()
            do {
                try store.batch {
                    for i in start..<end {
                        if i > start && Date().timeIntervalSince(began) > 0.5 { end = i; return }
                        if shouldStop() {
                            report.interrupted = true
                            interrupted.formUnion(ordered[i...].map(\.feed.id))
                            return
                        }
                        let item = ordered[i]
                        guard let article = articles[i] else {
                            report.articleErrors += 1
                            failed.insert(item.feed.id)
                            continue
                        }
                        switch store(article, item: item) {
                        case .stored(let joined):
                            report.newArticles += 1
                            if joined { report.joinedStories += 1 }
                        case .alreadyStored: break
                        case .failed: failed.insert(item.feed.id)
                        }
                        onProgress()
                    }
                }
            } catch {
                logger.error("store \(store.path): cannot commit \(end - start) articles: \(error)")
                failed.formUnion(ordered[start..<end].map(\.feed.id))
            }
            if report.interrupted { break chunks }
            start = end
        }
        return (failed, interrupted)
    }

    /// Extracts the batch's articles on every core. Pages of one site go through one task in order, because each
    /// page's template memory is what the site's earlier pages taught it; sites and feed contents run in parallel.
    /// Only extraction runs concurrently: the store and the story index are used by this thread alone.
    private func extractAll(_ items: [WorkItem], pages: [Int: Result<FetchResponse, FetchError>]) -> [Article?] {
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
            for i in tasks[t].indices {
                results.set(i, Pipeline.article(for: items[i], page: pages[i], template: &template, logger: logger))
            }
            results.setTemplate(t, template)
        }
        for (t, task) in tasks.enumerated() {
            if let host = task.host, let template = results.template(t) {
                templates[host] = template
                dirtyTemplates.insert(host)
            }
        }
        return results.articles
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
            let text = [entry.summary, entry.title].compactMap { $0 }.first { !$0.isEmpty } ?? ""
            return Article(title: entry.title, author: entry.author, published: entry.published, paragraphs: [text])
        }
        switch page {
        case .failure(let e):
            logger.warning("feed \(item.feed.url): article \(e.description); will retry next cycle")
            return nil
        case .success(let r) where !(200..<300).contains(r.status):
            logger.warning("feed \(item.feed.url): article \(r.requestedURL): HTTP \(r.status); will retry next cycle")
            return nil
        case .success(let r):
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

    /// Hosts whose template memory learned something since it was last saved.
    private var dirtyTemplates = Set<String>()

    /// Saves what the template memories learned (once a batch, not once a page) and lets them go: with thousands
    /// of sites, only the batch's hosts are held.
    private func saveTemplates() {
        for host in dirtyTemplates {
            guard let t = templates[host] else { continue }
            do { try store.saveTemplate(host: host, pages: t.pages, counts: t.counts) } catch {
                logger.warning("store: cannot save template memory for \(host): \(error)")
            }
        }
        dirtyTemplates.removeAll()
        templates.removeAll()
    }

    private func loadTemplate(_ host: String) -> TemplateMemory.Host {
        if let t = templates[host] { return t }
        let stored = (try? store.template(host: host)) ?? (pages: 0, counts: [:])
        let t = TemplateMemory.Host(pages: stored.pages, counts: stored.counts)
        templates[host] = t
        return t
    }

    /// What became of one article.
    enum StoreOutcome { case stored(joinedStory: Bool), alreadyStored, failed }

    /// Clusters and stores one article.
    private func store(_ a: Article, item: WorkItem) -> StoreOutcome {
        let text = a.text
        let published = item.entry.published ?? a.published ?? item.entry.updated
        let doc = ClusterDocument(id: item.key, url: item.pageURL, source: item.source, title: a.title, text: text,
                                  published: published ?? item.estimatedTime)
        let assignment = index.assign(doc)
        let record = NewArticle(feedID: item.feed.id, entryKey: item.key, url: item.pageURL,
                                canonicalURL: item.pageURL.map(URLCanonicalizer.canonical), title: a.title,
                                author: a.author ?? item.entry.author, published: published, language: a.language, text: text,
                                contentHash: Pipeline.hash(text), source: item.source, storyID: assignment.story,
                                reason: assignment.reason.rawValue, similarity: assignment.similarity,
                                groupedAt: published == nil ? item.estimatedTime : nil)
        do {
            let id = try store.record(record, storyTitle: assignment.representative ? a.title : nil)
            guard id != nil else { return .alreadyStored }
            logger.info("feed \(item.feed.url): stored \"\(a.title ?? item.key)\" in story \(assignment.story) (\(assignment.reason.rawValue))")
            return .stored(joinedStory: assignment.reason != .newStory)
        } catch {
            logger.error("feed \(item.feed.url): cannot store \(item.key): \(error)")
            return .failed
        }
    }

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
final class BackgroundFetch: @unchecked Sendable {
    private var results: [Result<FetchResponse, FetchError>] = []
    private let done = DispatchSemaphore(value: 0)

    init(client: HTTPClient, requests: [FetchRequest], progress: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            results = client.fetchAll(requests, progress: progress)  // written before the signal, read after the wait
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Blocks until the batch is fetched.
    func wait() -> [Result<FetchResponse, FetchError>] {
        done.wait()
        return results
    }
}

/// Where the extraction workers leave their results: each index and each task is written by one worker only.
final class ExtractionResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var articles: [Article?]
    private var templates: [TemplateMemory.Host?]

    init(count: Int, tasks: Int) {
        articles = Array(repeating: nil, count: count)
        templates = Array(repeating: nil, count: tasks)
    }

    func set(_ i: Int, _ a: Article?) { lock.lock(); articles[i] = a; lock.unlock() }
    func setTemplate(_ t: Int, _ h: TemplateMemory.Host?) { lock.lock(); templates[t] = h; lock.unlock() }
    func template(_ t: Int) -> TemplateMemory.Host? { lock.lock(); defer { lock.unlock() }; return templates[t] }
}
